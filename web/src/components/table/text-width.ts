/**
 * Rough rendered width of a line of text in pixels, for sizing table columns before render:
 * CJK characters are about one em wide, Latin letters and digits about half.
 */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

export const textWidth = (s: string, fontSize = 14): number => {
  let w = 0;
  for (const ch of s) {
    w += WIDE.test(ch) ? fontSize : /[A-Z]/.test(ch) ? fontSize * 0.68 : fontSize * 0.56;
  }
  return Math.ceil(w);
};
