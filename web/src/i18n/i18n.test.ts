import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'locales');
const load = (lang: string): Record<string, unknown> => {
  const merged: Record<string, unknown> = {};
  for (const file of fs.readdirSync(path.join(dir, lang)).sort()) {
    const part = JSON.parse(fs.readFileSync(path.join(dir, lang, file), 'utf8')) as Record<string, unknown>;
    for (const k of Object.keys(part)) {
      expect(merged, `${lang}/${file} redefines top-level key ${k}`).not.toHaveProperty(k);
    }
    Object.assign(merged, part);
  }
  return merged;
};

const keysOf = (obj: unknown, prefix = ''): string[] =>
  typeof obj === 'object' && obj !== null
    ? Object.entries(obj).flatMap(([k, v]) => keysOf(v, prefix === '' ? k : `${prefix}.${k}`))
    : [prefix];

describe('translation catalogues', () => {
  it('have the same files and exactly the same keys in Chinese and English', () => {
    expect(fs.readdirSync(path.join(dir, 'zh-CN')).sort()).toEqual(fs.readdirSync(path.join(dir, 'en-US')).sort());
    const zh = keysOf(load('zh-CN')).sort();
    const en = keysOf(load('en-US')).sort();
    expect(zh.length).toBeGreaterThan(50);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
  });

  it('have no empty strings', () => {
    const empty = (obj: unknown, prefix = ''): string[] =>
      typeof obj === 'object' && obj !== null
        ? Object.entries(obj).flatMap(([k, v]) => empty(v, `${prefix}.${k}`))
        : obj === ''
          ? [prefix]
          : [];
    expect([...empty(load('zh-CN')), ...empty(load('en-US'))]).toEqual([]);
  });
});
