import { describe, expect, it } from 'vitest';
import { checkHsRow, parseCsv, parseHsCsv } from './hs-import.ts';

const HEADER = 'section,hscode,description,parent,level';
const csv = (...lines: string[]): string => [HEADER, ...lines].join('\n') + '\n';

describe('parseCsv', () => {
  it('handles quoted commas, doubled quotes and line breaks inside quotes', () => {
    const { records, errors } = parseCsv('a,"b, c","say ""hi"""\n"multi\nline",x,""\nlast,row,end');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 2, fields: ['multi\nline', 'x', ''] },
      { line: 4, fields: ['last', 'row', 'end'] },
    ]);
  });

  it('treats CRLF and LF alike and skips blank lines and a BOM', () => {
    const lf = parseCsv('a,b\n1,2\n\n3,4\n');
    const crlf = parseCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n');
    expect(crlf).toEqual(lf);
    expect(lf.records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c,\n').records[0]?.fields).toEqual(['a', '', 'c', '']);
  });

  it('reports malformed quoting with the line and carries on', () => {
    const { records, errors } = parseCsv('ok,1\n"bad"x,2\nal"so,3\nfine,4\n');
    expect(errors).toEqual([
      { line: 2, message: expect.stringMatching(/after a closing quote/) },
      { line: 3, message: expect.stringMatching(/quote inside an unquoted field/) },
    ]);
    expect(records.map((r) => r.fields[0])).toEqual(['ok', 'fine']);
  });

  it('reports an unterminated quote at the line it opened', () => {
    const { records, errors } = parseCsv('a,b\n1,"never closed\n2,3\n');
    expect(records).toHaveLength(1);
    expect(errors).toEqual([{ line: 2, message: expect.stringMatching(/never closed/) }]);
  });
});

describe('parseHsCsv', () => {
  it('parses rows, maps parent TOTAL to null and keeps quoted descriptions', () => {
    const r = parseHsCsv(
      csv(
        'I,01,Animals; live,TOTAL,2',
        'I,0101,"Horses, asses, mules and hinnies; live",01,4',
        'I,010121,"Horses; ""pure-bred"", breeding",0101,6',
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { code: '01', level: 2, parent: null, section: 'I', description: 'Animals; live' },
      { code: '0101', level: 4, parent: '01', section: 'I', description: 'Horses, asses, mules and hinnies; live' },
      { code: '010121', level: 6, parent: '0101', section: 'I', description: 'Horses; "pure-bred", breeding' },
    ]);
  });

  it('accepts columns in any order and 8/10-digit national codes', () => {
    const r = parseHsCsv(
      'level,hscode,parent,section,description\r\n6,260111,2601,V,Iron ores\r\n8,26011110,260111,V,"Iron ore, fines"\r\n10,2601111000,26011110,V,Iron ore fines (national)\r\n',
    );
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.code, x.level, x.parent])).toEqual([
      ['260111', 6, '2601'],
      ['26011110', 8, '260111'],
      ['2601111000', 10, '26011110'],
    ]);
  });

  it('skips the TOTAL root record without calling it an error', () => {
    const r = parseHsCsv(csv('I,01,Animals; live,TOTAL,2', 'TOTAL,TOTAL,Total of all HS2022 commodities,TOTAL,5'));
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(1);
    expect(r.skipped).toEqual([{ line: 3, message: expect.stringMatching(/root/) }]);
  });

  it('reports a missing required column and returns no rows', () => {
    const r = parseHsCsv('section,hscode,description,level\nI,01,Animals,2\n');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ line: 1, message: expect.stringMatching(/missing required column\(s\) parent/) }]);
  });

  it('reports an empty file', () => {
    expect(parseHsCsv('').errors).toEqual([{ line: 1, message: expect.stringMatching(/empty/) }]);
  });

  it('reports bad levels and code/level mismatches with line numbers', () => {
    const r = parseHsCsv(
      csv(
        'I,01,Animals; live,TOTAL,2', // 2 ok
        'I,010,Three digits,01,3', // 3 level 3
        'I,0101,Horses,01,6', // 4 digits vs level
        'I,0102,Cattle,01,four', // 5 not a number
        'I,0103,Swine,01,', // 6 empty level
      ),
    );
    expect(r.rows.map((x) => x.code)).toEqual(['01']);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(r.errors[0]?.message).toMatch(/level "3" must be 2, 4, 6, 8 or 10/);
    expect(r.errors[1]?.message).toMatch(/has 4 digits but level is 6/);
    expect(r.errors[2]?.message).toMatch(/level "four"/);
    expect(r.errors[3]?.message).toMatch(/level ""/);
  });

  it('reports parent problems', () => {
    const r = parseHsCsv(
      csv(
        'I,01,Animals; live,TOTAL,2', // 2
        'I,0101,Horses,02,4', // 3 not a prefix
        'I,010121,Horses pure-bred,01,6', // 4 parent of wrong level
        'I,02,Meat,01,2', // 5 chapter with a parent
        'I,0102,Cattle,TOTAL,4', // 6 non-chapter under TOTAL
        'I,0103,Swine,,4', // 7 empty parent
      ),
    );
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(r.errors[0]?.message).toMatch(/parent "02" is not a prefix of hscode "0101"/);
    expect(r.errors[1]?.message).toMatch(/parent "01" must be a 4-digit code/);
    expect(r.errors[2]?.message).toMatch(/must have parent TOTAL/);
    expect(r.errors[3]?.message).toMatch(/needs a parent of level 2/);
    expect(r.errors[4]?.message).toMatch(/parent "" must be a 2-digit code/);
  });

  it('reports non-digit codes, empty fields, duplicates and wrong field counts', () => {
    const r = parseHsCsv(
      csv(
        'I,01,Animals; live,TOTAL,2', // 2
        'I,01,Animals again,TOTAL,2', // 3 duplicate
        'I,01A1,Letters,01,4', // 4
        ',0102,Cattle,01,4', // 5 no section
        'I,0103,,01,4', // 6 no description
        'I,0104,Sheep,01', // 7 four fields
        'I,0105,"Poultry, live",01,4,extra', // 8 six fields
      ),
    );
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(r.errors[0]?.message).toMatch(/already appears on line 2/);
    expect(r.errors[1]?.message).toMatch(/digits only/);
    expect(r.errors[2]?.message).toMatch(/section is empty/);
    expect(r.errors[3]?.message).toMatch(/description is empty/);
    expect(r.errors[4]?.message).toMatch(/expected 5 fields, found 4/);
    expect(r.errors[5]?.message).toMatch(/expected 5 fields, found 6/);
  });

  it('counts lines across quoted line breaks when reporting', () => {
    const r = parseHsCsv(csv('I,01,"Animals;\nlive",TOTAL,2', 'I,0101,Horses,01,5'));
    expect(r.rows[0]?.description).toBe('Animals;\nlive');
    expect(r.errors).toEqual([{ line: 4, message: expect.stringMatching(/level "5"/) }]);
  });

  it('interleaves CSV and row errors in line order', () => {
    const r = parseHsCsv(csv('I,0101,Horses,01,6', 'I,"01"x,Bad,TOTAL,2'));
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
  });
});

describe('checkHsRow', () => {
  it('accepts a well-formed row and lists every problem of a bad one', () => {
    expect(checkHsRow({ code: '2601', level: 4, parent: '26', section: 'V', description: 'Iron ores' })).toEqual([]);
    expect(checkHsRow({ code: '26x', level: 5, parent: null, section: ' ', description: '' })).toHaveLength(4);
  });
});
