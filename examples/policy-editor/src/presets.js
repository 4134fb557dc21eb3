// The seed stories of examples/scenarios/ as presets, read at build time from the same files the CLI, the Rust
// tests and the Python tests run, so a preset can never drift from its story. Story 5 asks IAM directly (the
// general form, `resources` instead of `api`) and has no API to edit: it is listed with the reason.

const files = import.meta.glob('../../scenarios/*.json', { eager: true, import: 'default' });

export const presets = Object.entries(files)
  .map(([path, suite]) => {
    const id = path.replace(/^.*\//, '').replace(/\.json$/, '');
    const [story, ...words] = id.split('-');
    return {
      id,
      label: `Story ${story}: ${words.join(' ')}`,
      suite,
      unsupported: 'resources' in suite ? 'general IAM form (no API): run it with the CLI' : null,
    };
  })
  .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

export const DEFAULT_PRESET = '1a-partner-and-office';
