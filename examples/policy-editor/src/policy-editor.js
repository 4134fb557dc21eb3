// The resource policy editor: CodeMirror 6 in JSON mode, with the engine's diagnostics (`validatePolicy`) shown
// inline at their line and column, and the decisive statement of the selected request highlighted.
//
// Positions: the engine counts lines from 1 and columns from 1 in Unicode characters; CodeMirror counts UTF-16
// code units from the start of the document. `toOffset` converts, so a statement after an emoji in a Sid is still
// found.

import { EditorView, basicSetup } from 'codemirror';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import { Annotation, StateEffect, StateField } from '@codemirror/state';
import { Decoration } from '@codemirror/view';

/** Document offset of an engine position (1-based line, 1-based column in characters). */
export function toOffset(doc, line, column) {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  let offset = 0;
  let chars = 1;
  const text = l.text;
  while (chars < column && offset < text.length) {
    const code = text.codePointAt(offset);
    offset += code > 0xffff ? 2 : 1;
    chars += 1;
  }
  return l.from + offset;
}

const setHighlight = StateEffect.define();
/** Marks a change made by the page (a preset, a link), not typed by the person. */
const external = Annotation.define();

/** The complete syntax tree (the parse may lag behind on a long document). */
function fullTree(state) {
  return ensureSyntaxTree(state, state.doc.length, 500) ?? syntaxTree(state);
}

/** Line decorations over the highlighted statements; cleared or replaced by `setHighlight`. */
const highlightField = StateField.define({
  create: () => Decoration.none,
  update(decorations, tr) {
    decorations = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setHighlight)) continue;
      const ranges = [];
      for (const { from, to, kind } of effect.value) {
        const first = tr.state.doc.lineAt(from).number;
        const last = tr.state.doc.lineAt(to).number;
        for (let n = first; n <= last; n++) {
          const cls = `cm-statement-${kind}${n === first ? ' cm-statement-first' : ''}${n === last ? ' cm-statement-last' : ''}`;
          ranges.push(Decoration.line({ class: cls }).range(tr.state.doc.line(n).from));
        }
      }
      ranges.sort((a, b) => a.from - b.from);
      decorations = Decoration.set(ranges, true);
    }
    return decorations;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The JSON object (a statement) that starts at `offset`, as a {from, to} range; null when there is none. */
function objectAt(state, offset) {
  let node = fullTree(state).resolveInner(offset, 1);
  while (node && node.name !== 'Object') node = node.parent;
  if (!node) return null;
  return { from: node.from, to: node.to };
}

export function createPolicyEditor(parent, { onChange }) {
  const view = new EditorView({
    parent,
    doc: '',
    extensions: [
      basicSetup,
      json(),
      lintGutter(),
      highlightField,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': 'Resource policy (JSON)' }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && !update.transactions.some((t) => t.annotation(external))) onChange(update.state.doc.toString());
      }),
    ],
  });

  return {
    view,
    getText: () => view.state.doc.toString(),

    /** Replace the whole text (a preset, a link) without reporting it as the person's edit. */
    setText(text) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        annotations: external.of(true),
        effects: setHighlight.of([]),
      });
    },

    /** Show the engine's diagnostics ({severity, message, line, column, endLine, endColumn, help, code}). */
    showDiagnostics(diagnostics) {
      const doc = view.state.doc;
      const out = diagnostics.map((d) => {
        const line = d.line ?? 1;
        const from = toOffset(doc, line, d.column ?? 1);
        let to = d.endLine ? toOffset(doc, d.endLine, d.endColumn ?? 1) : from;
        if (to <= from) to = Math.min(doc.lineAt(from).to, from + 1);
        if (to <= from && from > 0) return { from: from - 1, to: from, d };
        return { from, to, d };
      });
      view.dispatch(
        setDiagnostics(
          view.state,
          out.map(({ from, to, d }) => ({
            from,
            to,
            severity: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'info',
            source: d.code,
            message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
          })),
        ),
      );
    },

    /**
     * Highlight the statements starting at the given engine positions: [{line, column, kind}] with kind `deny`,
     * `allow` or `focus`. Scrolls the first one into view. Returns the highlighted line ranges.
     */
    highlight(statements, { scroll = true } = {}) {
      const doc = view.state.doc;
      const ranges = [];
      for (const s of statements) {
        if (!s.line || s.line > doc.lines) continue;
        const at = toOffset(doc, s.line, s.column ?? 1);
        const range = objectAt(view.state, at) ?? { from: doc.line(s.line).from, to: doc.line(s.line).to };
        ranges.push({ ...range, kind: s.kind });
      }
      const effects = [setHighlight.of(ranges)];
      if (scroll && ranges.length > 0) effects.push(EditorView.scrollIntoView(ranges[0].from, { y: 'center' }));
      view.dispatch({ effects });
      return ranges.map((r) => ({ first: doc.lineAt(r.from).number, last: doc.lineAt(r.to).number }));
    },

    /** Insert a statement at the end of the `Statement` array (or replace an empty document by a policy). */
    insertStatement(statement) {
      const state = view.state;
      const body = JSON.stringify(statement, null, 2).split('\n');
      const text = state.doc.toString();
      if (text.trim() === '') {
        const policy = { Version: '2012-10-17', Statement: [statement] };
        view.dispatch({ changes: { from: 0, to: state.doc.length, insert: JSON.stringify(policy, null, 2) } });
        return true;
      }
      const array = statementArray(state);
      if (!array) return false;
      // Indent like the last statement, or two more than the line of `"Statement"`.
      const items = [];
      for (let child = array.firstChild; child; child = child.nextSibling) if (!['[', ']', ','].includes(child.name)) items.push(child);
      const close = array.lastChild;
      let indent;
      if (items.length > 0) {
        const last = items[items.length - 1];
        const line = state.doc.lineAt(last.from);
        indent = /^\s*/.exec(line.text)[0];
      } else {
        indent = `${/^\s*/.exec(state.doc.lineAt(array.from).text)[0]}  `;
      }
      const block = body.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
      if (items.length > 0) {
        const last = items[items.length - 1];
        view.dispatch({ changes: { from: last.to, insert: `,\n${indent}${block}` }, selection: { anchor: last.to + 2 + indent.length }, scrollIntoView: true });
      } else {
        const closeIndent = /^\s*/.exec(state.doc.lineAt(array.from).text)[0];
        view.dispatch({ changes: { from: array.from + 1, to: close.from, insert: `\n${indent}${block}\n${closeIndent}` }, scrollIntoView: true });
      }
      view.focus();
      return true;
    },
  };
}

/** The array node that is the value of the top-level `Statement` property, or null. */
function statementArray(state) {
  const tree = fullTree(state);
  const top = tree.topNode.getChild('Object');
  if (!top) return null;
  for (const prop of top.getChildren('Property')) {
    const name = prop.getChild('PropertyName');
    if (!name || state.doc.sliceString(name.from, name.to) !== '"Statement"') continue;
    const value = prop.lastChild;
    if (value?.name === 'Array') return value;
    // A single statement object: not an array to append to.
    return null;
  }
  return null;
}
