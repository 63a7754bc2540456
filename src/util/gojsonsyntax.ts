// The syntax error Go's encoding/json reports for a text that is no JSON (encoding/json/scanner.go:
// "invalid character 'x' looking for beginning of value", "unexpected end of JSON input" …), for
// the places where kubectl prints json.Unmarshal's error as it is.

const SPACE = ' \t\r\n';

/** scanner.go quoteChar: the offending byte in single quotes, strconv.Quote's escapes. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  return `'${JSON.stringify(c).slice(1, -1)}'`;
}

class Syntax extends Error {}

/** The error json.Unmarshal gives for text, or undefined when text is valid JSON. */
export function goJSONSyntaxError(text: string): string | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && SPACE.includes(text[i])) i++;
  };
  const fail = (context: string): never => {
    throw new Syntax(i >= text.length ? 'unexpected end of JSON input' : `invalid character ${quoteChar(text[i])} ${context}`);
  };
  const digits = () => {
    while (text[i] >= '0' && text[i] <= '9') i++;
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('in string literal');
      const c = text[i];
      if (c === '"') return void i++;
      if (c === '\\') {
        i++;
        if (i < text.length && 'bfnrt"\\/'.includes(text[i])) i++;
        else if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('in \\u hexadecimal character escape');
        } else fail('in string escape code');
      } else if (c < ' ') fail('in string literal');
      else i++;
    }
  };
  const num = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i] >= '1' && text[i] <= '9') digits();
    else fail('in numeric literal');
    if (text[i] === '.') {
      i++;
      if (!(text[i] >= '0' && text[i] <= '9')) fail('after decimal point in numeric literal');
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!(text[i] >= '0' && text[i] <= '9')) fail('in exponent of numeric literal');
      digits();
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        str();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('after array element');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    for (const lit of ['true', 'false', 'null']) {
      if (c !== lit[0]) continue;
      for (let k = 1; k < lit.length; k++) if (text[++i] !== lit[k]) fail(`in literal ${lit} (expecting ${quoteChar(lit[k])})`);
      return void i++;
    }
    fail('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof Syntax) return e.message;
    throw e;
  }
}
