// The page's side of an engine run: what it hands the Worker client, the
// progress it shows, and the performance marks scripts/bench reads.

// A phase of the analysis as a performance mark (no effect on the page).
export function mark(name) {
  performance.mark(`callsight:${name}`);
}

// The inputs as the client takes them: whole buffers are transferred to the
// worker (no copy); re-analysis reads the files again.
export function transferPayload(inputs) {
  return inputs.map((f) => ({ name: f.name, data: f.data.byteLength === f.data.buffer.byteLength ? f.data.buffer : f.data }));
}

// The client's onProgress: marks the engine's start and analysis, and tells
// showProgress(text, done, total) the phase, the file and the bytes.
export function engineProgress(showProgress) {
  let engineStarted = false;
  return (p) => {
    if (!p) return;
    if (!engineStarted) {
      engineStarted = true;
      mark('engine-start');
    }
    if (p.phase === 'analyzing') mark('engine-analyzing');
    const files = p.filesTotal ? ` (${Math.min(p.filesDone + 1, p.filesTotal)} of ${p.filesTotal} files)` : '';
    if (p.phase === 'analyzing') showProgress('Analyzing…');
    else if (p.phase === 'done') showProgress('Rendering…', 1, 1);
    else showProgress(`${p.phase === 'reading' ? 'Reading' : 'Parsing'} ${p.file || ''}${files}`, p.bytesDone, p.bytesTotal);
  };
}
