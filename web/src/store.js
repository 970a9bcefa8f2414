// The user's configuration overrides (thresholds, meeting gap), kept in
// localStorage. Storage may be unavailable (private mode): then nothing persists.
const KEY = 'callsight.config.v1';

export function loadConfig() {
  try {
    const text = localStorage.getItem(KEY);
    if (!text) return null;
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

export function saveConfig(config) {
  try {
    if (config) localStorage.setItem(KEY, JSON.stringify(config));
    else localStorage.removeItem(KEY);
    return true;
  } catch {
    return false;
  }
}

// Whether times are shown in the browser's zone (else UTC).
const LOCAL_TIME_KEY = 'callsight.localTime.v1';

export function loadLocalTime() {
  try {
    return localStorage.getItem(LOCAL_TIME_KEY) === 'true';
  } catch {
    return false;
  }
}

export function saveLocalTime(local) {
  try {
    if (local) localStorage.setItem(LOCAL_TIME_KEY, 'true');
    else localStorage.removeItem(LOCAL_TIME_KEY);
  } catch {
    // storage unavailable: the choice lasts until the page is closed
  }
}
