import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber } from './format.ts';

describe('formatting for the viewer', () => {
  it('shows instants in the chosen time zone, Asia/Shanghai by default in the app', () => {
    const at = '2026-11-26T23:30:00Z';
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026/11/27 07:30');
    expect(formatDateTime(at, 'en-US', 'UTC')).toBe('Nov 26, 2026, 23:30');
    expect(formatDateTime(null, 'zh-CN', 'Asia/Shanghai')).toBe('—');
  });

  it('keeps calendar dates on their day whatever the zone', () => {
    expect(formatDate('2023-10-23', 'zh-CN')).toBe('2023/10/23');
    expect(formatDate('2023-10-23', 'en-US')).toBe('Oct 23, 2023');
    expect(formatDate('not a date', 'en-US')).toBe('not a date');
  });

  it('groups digits by the language', () => {
    expect(formatNumber(150000, 'zh-CN')).toBe('150,000');
    expect(formatNumber(17.5, 'en-US', 1)).toBe('17.5');
    expect(formatNumber(undefined, 'en-US')).toBe('—');
  });
});
