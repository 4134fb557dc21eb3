// Turns the fast path's compact answer (src/lib.rs, `write_record`) into the decision object: the contract's
// keys, in the contract's order, with the values the record carries. For a small decision this takes about 40%
// of what `JSON.parse` of its JSON text takes, which was more than deciding it. Nothing is decided here.
//
// A record is `R` then the fields separated by U+0001, a `null` written U+0002; a batch is records separated by
// U+0003. An answer that starts with `J` is JSON text (a decision whose strings hold a separator).

const FIELD = '\u0001';
const NULL = '\u0002';
const RECORD = '\u0003';
const J = 74; // 'J'

function orNull(field) {
  return field === NULL ? null : field;
}

/** The decision of one record, split into its fields. */
function fromFields(f) {
  const count = Number(f[9]);
  const decisive = [];
  let k = 10;
  for (let i = 0; i < count; i += 1, k += 4) {
    decisive.push({ policy: f[k], index: Number(f[k + 1]), sid: orNull(f[k + 2]), effect: f[k + 3] });
  }
  const warnings = f.slice(k + 1, k + 1 + Number(f[k]));
  return {
    decision: f[0],
    statusCode: Number(f[1]),
    responseType: orNull(f[2]),
    errorType: orNull(f[3]),
    message: orNull(f[4]),
    body: orNull(f[5]),
    methodArn: orNull(f[6]),
    caller: f[7],
    authorizerInvoked: f[8] === '1',
    decisive,
    explanation: [],
    warnings,
  };
}

/** One answer of `decideRecord`. */
export function decodeDecision(text) {
  if (text.charCodeAt(0) === J) return JSON.parse(text.slice(1));
  return fromFields(text.slice(1).split(FIELD));
}

/** One answer of `decideManyRecords`: the decisions, in order. */
export function decodeDecisions(text) {
  if (text.length === 0) return [];
  if (text.charCodeAt(0) === J) return JSON.parse(text.slice(1));
  return text.split(RECORD).map(decodeDecision);
}
