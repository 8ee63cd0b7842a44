#!/usr/bin/env node
// Builds the staff stylesheet (style/staff.scss: what only staff pages use)
// into the site beside the one cargo-leptos builds, with a content-hashed
// name (cached for a year, like the rest of the build) and brotli and gzip
// copies. The server finds it by its name, staff.<hash>.css.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'target/site/pkg');
const { css } = sass.compile(join(root, 'style/staff.scss'), { style: 'compressed', sourceMap: false });
const hash = createHash('sha256').update(css).digest('base64url').slice(0, 22);
for (const old of readdirSync(pkg).filter((name) => /^staff\..*\.css/.test(name))) rmSync(join(pkg, old));
const file = join(pkg, `staff.${hash}.css`);
writeFileSync(file, css);
writeFileSync(`${file}.br`, brotliCompressSync(css, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
writeFileSync(`${file}.gz`, gzipSync(css, { level: 9 }));
console.log(`staff stylesheet: pkg/staff.${hash}.css (${css.length} bytes)`);
