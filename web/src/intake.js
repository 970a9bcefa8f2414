// How files reach the analysis: the hidden file inputs, drag and drop anywhere
// on the page (with the overlay while dragging), and reading the chosen files
// into memory with progress.
import { fmtNum } from './format.js';
import { filesFromDataTransfer, filesFromInput, readFiles } from './files.js';

// Calls onFiles(list) with the files chosen in a file input (none: nothing).
export function wirePicker(input, onFiles) {
  input.addEventListener('change', () => {
    const list = filesFromInput(input);
    input.value = '';
    if (list.length) onFiles(list);
  });
}

// Shows the overlay while files are dragged over the window; a drop calls
// onFiles(list), or onEmpty() when it held no files.
export function wireDrop(overlay, { onFiles, onEmpty }) {
  let dragDepth = 0;
  const hasFiles = (e) => !!e.dataTransfer && [...(e.dataTransfer.types || [])].includes('Files');
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) overlay.hidden = true;
  });
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    dragDepth = 0;
    overlay.hidden = true;
    if (!e.dataTransfer) return;
    const list = await filesFromDataTransfer(e.dataTransfer);
    if (list.length) onFiles(list);
    else onEmpty();
  });
}

// Reads the files ([{name, data: Uint8Array}]), telling
// showProgress(text, done, total) how far it got.
export function readInputs(list, showProgress) {
  const mb = (n) => `${fmtNum(n / 1048576, 1)} MB`;
  showProgress(`Reading ${list.length} file${list.length === 1 ? '' : 's'}…`, 0, 1);
  return readFiles(list, (done, total, name) => showProgress(name ? `Reading ${name} (${mb(done)} of ${mb(total)})` : `Read ${mb(total)}`, done, total));
}
