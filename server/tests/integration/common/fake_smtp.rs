//! A small SMTP server on 127.0.0.1 that accepts every message and keeps it,
//! so tests can watch what the mail worker really sends over SMTP.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub struct FakeSmtp {
    pub url: String,
    received: Arc<Mutex<Vec<String>>>,
    gate: Option<Gate>,
    task: tokio::task::JoinHandle<()>,
}

/// Holds each message before accepting it, until the test lets it through:
/// a slow mail server.
#[derive(Clone)]
struct Gate {
    open: Arc<tokio::sync::Semaphore>,
    held: Arc<tokio::sync::watch::Sender<usize>>,
}

impl FakeSmtp {
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// A mail server that holds every message until [`FakeSmtp::let_through`].
    pub async fn start_slow() -> Self {
        let gate =
            Gate { open: Arc::new(tokio::sync::Semaphore::new(0)), held: Arc::new(tokio::sync::watch::Sender::new(0)) };
        Self::start_with(Some(gate)).await
    }

    async fn start_with(gate: Option<Gate>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = received.clone();
        let conversation_gate = gate.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(converse(socket, keep.clone(), conversation_gate.clone()));
            }
        });
        Self { url, received, gate, task }
    }

    /// Waits until `count` messages are held, for up to 15 seconds.
    pub async fn until_held(&self, count: usize) {
        let gate = self.gate.as_ref().expect("a slow mail server");
        let mut held = gate.held.subscribe();
        let waited = tokio::time::timeout(Duration::from_secs(15), held.wait_for(|n| *n >= count)).await;
        assert!(waited.is_ok(), "expected {count} messages held, have {}", *gate.held.borrow());
    }

    /// Accepts `count` more held (or future) messages.
    pub fn let_through(&self, count: usize) {
        self.gate.as_ref().expect("a slow mail server").open.add_permits(count);
    }

    /// Every message received so far (headers and body).
    pub fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `count` messages arrived, for up to 15 seconds.
    pub async fn wait_for(&self, count: usize) {
        for _ in 0..150 {
            if self.messages().len() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {count} messages, received {}", self.messages().len());
    }
}

impl Drop for FakeSmtp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn converse(socket: TcpStream, received: Arc<Mutex<Vec<String>>>, gate: Option<Gate>) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 fake.test ESMTP\r\n").await?;
    while let Some(line) = lines.next_line().await? {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-fake.test\r\n250 8BITMIME\r\n"
        } else if command.starts_with("HELO") {
            b"250 fake.test\r\n"
        } else if command.starts_with("MAIL FROM")
            || command.starts_with("RCPT TO")
            || command == "RSET"
            || command == "NOOP"
        {
            b"250 OK\r\n"
        } else if command == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            let mut message = String::new();
            while let Some(data) = lines.next_line().await? {
                if data == "." {
                    break;
                }
                message.push_str(&data);
                message.push('\n');
            }
            if let Some(gate) = &gate {
                gate.held.send_modify(|n| *n += 1);
                let permit = gate.open.acquire().await.expect("gate open");
                permit.forget();
                gate.held.send_modify(|n| *n -= 1);
            }
            received.lock().unwrap().push(message);
            b"250 queued\r\n"
        } else if command == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(())
}
