/**
 * Inputs that make Markdown parsers backtrack or nest (repeated to 200,000 characters), and
 * ordinary prose for scale. Used by the markdown tests and bench.
 */
export const PATHOLOGICAL_UNITS: Record<string, string> = {
  prose: 'Công an tỉnh **Thanh Hóa** thông báo [chi tiết](https://example.com) về _vụ việc_ `mã`.\n\n',
  'unclosed brackets': '[',
  'unclosed images': '![',
  'link openers': '[a](',
  'mixed emphasis': '*_',
  'emphasis runs': '_a_ ',
  'backtick runs': '`a``',
  'nested quotes': '> ',
  'nested lists': '- ',
  'angle brackets': '<',
  entities: '&#106;',
  'table rows': '|x|y|\n',
  'reference definitions': '[a]: /b\n',
}
