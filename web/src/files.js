// Getting the user's files: dropped files and folders (webkitGetAsEntry), the
// file picker, and the bundled sample. Files are read locally; nothing is sent.
// Every file goes to the engine as it is, whatever its name or type: the
// package decompresses gzip files itself (DecompressionStream), so a dropped
// dump.json.gz needs nothing here, and the pickers have no accept filter.

// Skips hidden files and OS metadata a folder drop may carry.
function wanted(name) {
  const base = name.split('/').pop();
  return base && !base.startsWith('.') && base !== 'Thumbs.db' && base !== 'desktop.ini';
}

function readAllEntries(reader) {
  return new Promise((resolve) => {
    const all = [];
    const next = () =>
      reader.readEntries(
        (batch) => {
          if (!batch.length) return resolve(all);
          all.push(...batch);
          next();
        },
        () => resolve(all),
      );
    next();
  });
}

function entryFile(entry) {
  return new Promise((resolve) => entry.file(resolve, () => resolve(null)));
}

async function walk(entry, prefix, out, depth) {
  if (!entry || depth > 32) return;
  if (entry.isFile) {
    const f = await entryFile(entry);
    if (f && wanted(entry.name)) out.push({ file: f, name: prefix + entry.name });
  } else if (entry.isDirectory) {
    const children = await readAllEntries(entry.createReader());
    children.sort((a, b) => a.name.localeCompare(b.name));
    for (const c of children) await walk(c, `${prefix}${entry.name}/`, out, depth + 1);
  }
}

// Files of a drop event's DataTransfer, folders expanded: [{file, name}].
export async function filesFromDataTransfer(dt) {
  const out = [];
  const items = dt.items ? [...dt.items] : [];
  const entries = items
    .filter((it) => it.kind === 'file')
    .map((it) => (typeof it.webkitGetAsEntry === 'function' ? it.webkitGetAsEntry() : null));
  if (entries.length && entries.every(Boolean)) {
    for (const e of entries) await walk(e, '', out, 0);
    return out;
  }
  for (const f of dt.files ? [...dt.files] : []) if (wanted(f.name)) out.push({ file: f, name: f.name });
  return out;
}

export function filesFromInput(input) {
  return [...(input.files || [])]
    .map((f) => ({ file: f, name: f.webkitRelativePath || f.name }))
    .filter((x) => wanted(x.name));
}

// Reads every file into a Uint8Array, reporting progress(bytesDone, bytesTotal, name).
export async function readFiles(list, progress) {
  const total = list.reduce((s, x) => s + (x.file.size || 0), 0);
  let done = 0;
  const out = [];
  for (const { file, name } of list) {
    progress?.(done, total, name);
    const buf = new Uint8Array(file.size);
    let off = 0;
    if (typeof file.stream === 'function') {
      const reader = file.stream().getReader();
      let lastReport = 0;
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        if (off + value.length > buf.length) throw new Error(`${name} changed while it was being read`);
        buf.set(value, off);
        off += value.length;
        if (off - lastReport > 4 << 20) {
          lastReport = off;
          progress?.(done + off, total, name);
        }
      }
    } else {
      buf.set(new Uint8Array(await file.arrayBuffer()));
      off = buf.length;
    }
    done += file.size;
    out.push({ name, data: off === buf.length ? buf : buf.subarray(0, off) });
  }
  progress?.(done, total, null);
  return out;
}

// The bundled sample session: sample/index.json lists the files.
export async function sampleFiles() {
  const base = new URL('sample/', document.baseURI);
  const res = await fetch(new URL('index.json', base));
  if (!res.ok) throw new Error(`the sample session could not be loaded (${res.status})`);
  const index = await res.json();
  const names = Array.isArray(index) ? index : Array.isArray(index.files) ? index.files : [];
  const out = [];
  for (const entry of names) {
    const name = typeof entry === 'string' ? entry : entry.name;
    if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) continue;
    const r = await fetch(new URL(name, base));
    if (!r.ok) throw new Error(`sample file ${name} could not be loaded (${r.status})`);
    const blob = await r.blob();
    out.push({ file: new File([blob], name), name });
  }
  return out;
}
