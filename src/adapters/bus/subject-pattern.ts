/**
 * Whether `subject` matches a NATS subject `pattern`: `*` stands for exactly one token, a final `>` for one or
 * more tokens.
 *
 * @example
 * subjectMatches('wa.acme.*.MessageReceived', 'wa.acme.s1.MessageReceived'); // true
 * subjectMatches('wa.acme.>', 'wa.acme'); // false
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const wanted = pattern.split('.');
  const tokens = subject.split('.');
  for (let i = 0; i < wanted.length; i++) {
    const token = wanted[i];
    if (token === '>') return i === wanted.length - 1 && tokens.length > i;
    if (i >= tokens.length) return false;
    if (token !== '*' && token !== tokens[i]) return false;
  }
  return tokens.length === wanted.length;
}
