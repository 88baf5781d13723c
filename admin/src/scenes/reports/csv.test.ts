import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('CSV', () => {
  it('quotes what needs quoting, keeps numbers, leaves empty cells for null, ends lines with CRLF', () => {
    expect(
      toCsv(
        ['Date', 'Note', 'Count'],
        [
          ['2026-03-01', 'a, "quoted" one', 3],
          ['2026-03-02', null, 0],
        ],
      ),
    ).toBe('Date,Note,Count\r\n2026-03-01,"a, ""quoted"" one",3\r\n2026-03-02,,0\r\n');
  });

  it('a text starting like a formula is not a formula in a spreadsheet', () => {
    expect(toCsv(['Comment'], [['=HYPERLINK("x")'], ['+1 great'], [-5]])).toBe('Comment\r\n"\'=HYPERLINK(""x"")"\r\n\'+1 great\r\n-5\r\n');
  });
});
