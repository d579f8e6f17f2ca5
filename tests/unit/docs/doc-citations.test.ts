// Every place that cites the project's docs must point at a page and a section
// that exist: `docs/wire.md section 4`, `docs/wire.md 6.2`, `docs/zero-downtime.md
// rule 7`. Notes that live outside the repository are not citable at all.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'reports', '.git']);
const TEXT_FILE = /\.(ts|cjs|mjs|js|proto|md|yml|yaml|sql|json)$|^run$|^Dockerfile$/;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (TEXT_FILE.test(name) && name !== 'pnpm-lock.yaml') yield path;
  }
}

/** The section numbers a page defines: `## 6.` and `### 6.1` headings, and `## Rule 7.` headings. */
function sectionsOf(page: string): Set<string> {
  const sections = new Set<string>();
  for (const match of page.matchAll(/^#{2,4} (?:Rule )?(\d+(?:\.\d+)?)[. ]/gm)) sections.add(match[1]!);
  return sections;
}

/** Every section number a citation names: `sections 1-4 and 6` -> 1, 2, 3, 4, 6. */
function citedSections(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/,|\band\b/)) {
    const range = /(\d+)\s*-\s*(\d+)/.exec(part);
    if (range !== null) {
      for (let n = Number(range[1]); n <= Number(range[2]); n++) out.push(String(n));
      continue;
    }
    const single = /\d+(?:\.\d+)?/.exec(part);
    if (single !== null) out.push(single[0]);
  }
  return out;
}

const CITATION = /docs\/([a-z0-9-]+\.md)(?:\s+(?:sections?|rules?)?\s*((?:\d+(?:\.\d+)?(?:\s*-\s*\d+)?)(?:(?:,\s*|\s+and\s+)\d+(?:\.\d+)?(?:\s*-\s*\d+)?)*))?/g;

describe('doc citations', () => {
  const files = [...sourceFiles(ROOT)];

  test('files were found to check', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  test('nothing cites notes that are not in the repository', () => {
    const stale: string[] = [];
    for (const file of files) {
      if (file.endsWith('doc-citations.test.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\b(DESIGN|WIRE)\.md\b|DESIGN rule/.test(line)) stale.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(stale).toEqual([]);
  });

  test('every docs/ citation names a page and sections that exist', () => {
    const pages = new Map<string, Set<string>>();
    const broken: string[] = [];
    for (const file of files) {
      // This file holds broken citations on purpose, to test the checker.
      if (file.endsWith('doc-citations.test.ts')) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(CITATION)) {
        const [whole, page, sections] = match;
        let known = pages.get(page!);
        if (known === undefined) {
          try {
            known = sectionsOf(readFileSync(join(ROOT, 'docs', page!), 'utf8'));
          } catch {
            broken.push(`${relative(ROOT, file)}: ${whole} (no such page)`);
            continue;
          }
          pages.set(page!, known);
        }
        for (const section of sections === undefined ? [] : citedSections(sections)) {
          if (!known.has(section)) broken.push(`${relative(ROOT, file)}: ${whole} (no section ${section})`);
        }
      }
    }
    expect(broken).toEqual([]);
    // The citations this checks are really there.
    expect(pages.get('wire.md')?.has('6.2')).toBe(true);
  });

  test('a mention of the test plan has the page to go with it', () => {
    const mentions = files.filter((file) => /\btest plan\b/i.test(readFileSync(file, 'utf8')));
    expect(mentions.length).toBeGreaterThan(0);
    expect(statSync(join(ROOT, 'docs', 'test-plan.md')).isFile()).toBe(true);
  });

  test('the checker itself catches a broken citation', () => {
    const fake = 'see docs/wire.md section 9 and docs/zero-downtime.md rule 13';
    const found = [...fake.matchAll(CITATION)].map((m) => [m[1], citedSections(m[2] ?? '')]);
    expect(found).toEqual([
      ['wire.md', ['9']],
      ['zero-downtime.md', ['13']],
    ]);
    const wire = sectionsOf(readFileSync(join(ROOT, 'docs', 'wire.md'), 'utf8'));
    expect(wire.has('9')).toBe(false);
    expect(wire.has('4')).toBe(true);
  });
});
