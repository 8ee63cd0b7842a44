// In-place page changes. Every page is rendered whole on the server and works
// without JavaScript; with it, a link or form of this site fetches the next
// page and swaps its body in, so the browser does not load a new document.
// The islands in the new body (the few interactive parts) are woken up.
// Anything this does not handle (another site, a new tab, a download, a form
// with a file) is left to the browser, and so is a failed fetch.
(() => {
  const LEAVING = 'gp-online:leaving';

  const handled = (url) =>
    url.origin === location.origin && !/^\/(api|live|pkg|assets)\//.test(url.pathname);

  function wakeIslands() {
    if (!window.__hydrateIsland) return; // The WebAssembly wakes them when it arrives.
    for (const island of document.body.querySelectorAll('leptos-island')) {
      window.__hydrateIsland(island, island.dataset.component);
    }
  }

  function settle(url) {
    const target = url.hash && document.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (target) {
      target.scrollIntoView();
      return;
    }
    window.scrollTo(0, 0);
    // Like a new page: reading starts at the main content.
    const main = document.getElementById('maincontent');
    if (main) {
      main.setAttribute('tabindex', '-1');
      main.focus({ preventScroll: true });
    }
  }

  async function show(request, how, fallback) {
    let response;
    try {
      response = await fetch(request);
    } catch {
      fallback();
      return;
    }
    const url = new URL(response.url);
    if (!(response.headers.get('content-type') || '').includes('text/html')) {
      if (request.method === 'GET') {
        location.assign(url);
        return;
      }
      // A refusal in plain words (a form too large, a request from elsewhere).
      const message = await response.text();
      const page = `<main class="nhsuk-width-container"><h1>There is a problem</h1><p></p></main>`;
      document.dispatchEvent(new Event(LEAVING));
      document.body.innerHTML = page;
      document.body.querySelector('p').textContent = message;
      return;
    }
    const next = new DOMParser().parseFromString(await response.text(), 'text/html');
    // A page may need a stylesheet this one did not (staff pages have their
    // own): load it first, so the page never shows unstyled.
    const loading = [];
    for (const sheet of next.head.querySelectorAll('link[rel="stylesheet"]')) {
      if (!document.head.querySelector(`link[rel="stylesheet"][href="${sheet.getAttribute('href')}"]`)) {
        const link = document.importNode(sheet, true);
        loading.push(new Promise((done) => {
          link.onload = link.onerror = done;
          setTimeout(done, 3000);
        }));
        document.head.append(link);
      }
    }
    await Promise.all(loading);
    document.dispatchEvent(new Event(LEAVING));
    document.title = next.title;
    document.body.replaceChildren(...next.body.childNodes);
    // A form answered with its own page again (a problem to fix) is no new place in the history.
    if (how === 'push' && url.href !== location.href) history.pushState(null, '', url);
    else if (how !== 'none') history.replaceState(null, '', url);
    settle(url);
    wakeIslands();
  }

  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const link = event.target.closest && event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download') || /\bexternal\b/.test(link.rel)) return;
    const url = new URL(link.href, location.href);
    if (!handled(url)) return;
    // A link to a place on this same page is the browser's to follow.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    show(new Request(url), 'push', () => location.assign(url));
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    const method = (event.submitter?.getAttribute('formmethod') || form.method || 'get').toUpperCase();
    const url = new URL(event.submitter?.getAttribute('formaction') || form.action, location.href);
    if (!handled(url) && !url.pathname.startsWith('/api/')) return;
    if (form.enctype === 'multipart/form-data' || (method !== 'GET' && method !== 'POST')) return;
    const fields = new URLSearchParams(new FormData(form, event.submitter));
    event.preventDefault();
    if (method === 'GET') {
      url.search = fields.toString();
      show(new Request(url), 'push', () => location.assign(url));
    } else {
      const request = new Request(url, { method: 'POST', body: fields, headers: { Accept: 'text/html' } });
      show(request, 'push', () => form.submit());
    }
  });

  window.addEventListener('popstate', () => {
    show(new Request(location.href), 'none', () => location.reload());
  });
})();
