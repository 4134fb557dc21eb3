// The whole state in the URL's hash, so a link shows exactly what its sender saw. `#s=` is the state's JSON,
// deflated and base64url-encoded (links of a few kilobytes for the seed stories); `#j=` is the same without
// compression, for browsers without CompressionStream. A link is read back through `fromShared`, and a link that
// cannot be read gives a message, never a blank page.

const VERSION = 1;

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The hash (with its `#`) that holds `state`. */
export async function encodeState(state) {
  const bytes = new TextEncoder().encode(JSON.stringify({ v: VERSION, state }));
  if (typeof CompressionStream === 'function') {
    return `#s=${toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')))}`;
  }
  return `#j=${toBase64Url(bytes)}`;
}

/** The state held by a hash, or null when the hash holds none. Throws an Error with a readable message. */
export async function decodeState(hash) {
  const match = /^#([sj])=(.*)$/s.exec(hash);
  if (!match) return null;
  let bytes;
  try {
    bytes = fromBase64Url(match[2]);
    if (match[1] === 's') bytes = await pipe(bytes, new DecompressionStream('deflate-raw'));
  } catch {
    throw new Error('the link is damaged (it was cut short or changed): its state could not be unpacked');
  }
  let wrapper;
  try {
    wrapper = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('the link is damaged: its state is not JSON');
  }
  if (wrapper?.v !== VERSION || typeof wrapper.state !== 'object' || wrapper.state === null) {
    throw new Error(`the link was made by another version of this editor (format ${JSON.stringify(wrapper?.v)})`);
  }
  return wrapper.state;
}
