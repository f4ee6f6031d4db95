// Compiles every .mdx page below a folder with the MDX compiler and the remark
// plugins Docusaurus 3 uses, so a page that would break the site build fails here
// with its file, line and column.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compile } from '@mdx-js/mdx';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';

async function* pages(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* pages(path);
    else if (entry.name.endsWith('.mdx')) yield path;
  }
}

const root = process.argv[2] ?? 'docs';
let count = 0;
let failed = 0;
for await (const file of pages(root)) {
  count += 1;
  try {
    await compile(await readFile(file, 'utf8'), {
      remarkPlugins: [remarkFrontmatter, remarkGfm, remarkDirective],
    });
  } catch (error) {
    failed += 1;
    const place = error.place?.start ?? error.place ?? {};
    console.error(`${file}:${place.line ?? '?'}:${place.column ?? '?'}: ${error.reason ?? error.message}`);
  }
}
console.log(`mdx: ${count - failed} passed, ${failed} failed`);
process.exit(failed === 0 && count > 0 ? 0 : 1);
