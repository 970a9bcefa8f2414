// Type declarations of the npm package `callsight` (hand-written): its entries
// dist/browser.js and dist/node.js (package.json "exports") have this one API.
// The report types mirror docs/report.schema.json (schema version 1).

// ------------------------------------------------------------------- engine --

export interface EngineOptions {
  /** The bytes of engine.wasm, when you load it yourself. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where engine.wasm is served. Default: `new URL('./engine.wasm', import.meta.url)`
   * (in Node: read from the package's dist/ folder). */
  wasmUrl?: string | URL;
  /**
   * Node only: at most this many threads (whole number >= 1) read the files and
   * analyze the tracks. Default: one per core, at most 4. In Node (the package's
   * "node" entry), unless `threads` is 1 or `wasmBinary`/`wasmUrl` is given, the
   * engine is the threaded build (dist/node/), whose worker threads share its
   * memory. Browsers (the "browser" and "default" entry, which bundles for
   * browsers resolve) always run one thread (shared memory needs cross-origin
   * isolation) and never load dist/node/. The report is the same for any number
   * of threads.
   */
  threads?: number;
}

/** Loads the WebAssembly engine. */
export function createEngine(options?: EngineOptions): Promise<Engine>;

/** A file's content. Strings are encoded to UTF-8. Binary data that starts as
 * gzip does (bytes 1f 8b) is decompressed first (Node: node:zlib; browsers:
 * DecompressionStream), up to the larger of 64 MiB and 200 times its size;
 * the file's InputReport then says `compression: 'gzip'`. */
export type InputData = Uint8Array | ArrayBuffer | string;

export interface InputFile {
  /** Shown in every message about this file. Kinds are detected by content, never by name. */
  name: string;
  data: InputData;
}

export interface Progress {
  /** 'reading' per file before it is handed to the engine, 'parsing' while the
   * engine reads it, 'analyzing' once all are read, then 'done'. */
  phase: 'reading' | 'parsing' | 'analyzing' | 'done';
  /** The file of a 'reading' or 'parsing' step. */
  file?: string;
  filesDone: number;
  filesTotal: number;
  /** Bytes of the files handed to the engine so far (a string counts its length). */
  bytesDone: number;
  bytesTotal: number;
}

export interface AnalyzeOptions {
  /** Thresholds and tunables (docs/CONFIG.md), as an object or JSON text. Fields
   * not given keep their defaults. */
  config?: Config | object | string;
  onProgress?: (progress: Progress) => void;
}

export interface SeriesOptions {
  /** Downsample to at most this many points (>= 2): each time bucket keeps its
   * minimum and maximum, so spikes survive. Default: every sample. */
  maxPoints?: number;
}

/** Points of a chart. `t` is epoch ms; a NaN value is a gap (no data). */
export interface Series {
  t: Float64Array;
  values: Float64Array;
}

/** Series the engine gives: what a track's chart plots, or a peer's CQS. */
export type SeriesMetric =
  | ChartMetric
  | TrackMetric
  /** A sent video's layers summed on one time axis, and the frame rate of its
   * highest sending layer (any of its layers' keys): what its limits check. */
  | 'video_bitrate_total'
  | 'highest_layer_fps'
  | 'cqs'
  | 'cqs_uplink'
  | 'cqs_downlink'
  | (string & {});

export interface Engine {
  /** The engine version (the report's `generator.version`). */
  readonly version: string;
  /** How many threads an analysis uses (1 in browsers; see EngineOptions.threads). */
  readonly threads: number;
  /**
   * Reads and analyzes the files (any mix of 100ms exports, one session or
   * several). Each call is independent of the previous ones.
   *
   * Resolves with the report when every input is ok or repaired. Rejects with
   * {@link CallsightInputError} when some input was rejected (its `report` has
   * the other files), with {@link CallsightConfigError} for an invalid config,
   * and with TypeError for arguments of the wrong type. The engine stays usable.
   */
  analyze(files: InputFile[], options?: AnalyzeOptions): Promise<Report>;
  /**
   * A metric of one track of the last analysis, for a chart. `trackKey` is the
   * report's `peers[].tracks[].key` (ignored for the CQS metrics). Throws an
   * Error naming what does not exist.
   */
  series(
    sessionId: string,
    peerId: string,
    trackKey: string,
    metric: SeriesMetric,
    opts?: SeriesOptions,
  ): Series;
  /**
   * The fleet tables' rows of the last analysis: the rows `callsight analyze
   * --tables` writes for the same files, each table as NDJSON text. Collect
   * them over many analyses (one session at a time) and pass them to
   * {@link Engine.fleet}. Throws an Error when no analysis succeeded yet.
   */
  tableRows(): FleetTableTexts;
  /**
   * The fleet summary of the tables: the JSON `callsight fleet --format json`
   * prints for them. `tables`: files named `<table>.ndjson` (`.gz` when
   * compressed) or the tables' data by name; `sessions` is required. Rejects
   * with {@link CallsightTableError} naming the file and line of a bad row (or
   * a bad `since`), TypeError for arguments of the wrong type. Independent of
   * analyze(): the last analysis stays.
   */
  fleet(tables: InputFile[] | FleetTables, options?: FleetOptions): Promise<FleetSummary>;
  /** Frees the engine's memory. The engine cannot be used afterwards. */
  dispose(): void;
}

/** Some input file was rejected (the CLI's exit status 2). */
export class CallsightInputError extends Error {
  constructor(messages: string[], report: Report);
  name: 'CallsightInputError';
  /** One line per problem of every file that was rejected or repaired, as the CLI
   * prints them on stderr: "bad.json: line 1: invalid JSON: ...". */
  messages: string[];
  /** The report of the other files (the CLI's stdout). */
  report: Report;
}

/** A fleet table has a bad row, or fleet()'s `since` is not a day; the message
 * names the table file and line ("issues.ndjson: line 3: ..."). */
export class CallsightTableError extends Error {
  constructor(message: string);
  name: 'CallsightTableError';
}

/** The config is invalid; the message names the field. */
export class CallsightConfigError extends Error {
  constructor(message: string);
  name: 'CallsightConfigError';
}

// ------------------------------------------------------------------- worker --

export interface WorkerClientOptions {
  /** A Worker running `callsight/worker` that you started. */
  worker?: Worker;
  /** Where the worker script is served. Default: the package's dist/worker.js. */
  workerUrl?: string | URL;
}

/** The engine in a Web Worker: same calls, never blocks the page. */
export interface WorkerClient {
  /** As {@link Engine.analyze}. ArrayBuffers given as data are transferred to the
   * worker (no copy) and are detached afterwards. */
  analyze(files: InputFile[], options?: AnalyzeOptions): Promise<Report>;
  series(
    sessionId: string,
    peerId: string,
    trackKey: string,
    metric: SeriesMetric,
    opts?: SeriesOptions,
  ): Promise<Series>;
  /** As {@link Engine.tableRows}, of the worker's last analysis. */
  tableRows(): Promise<FleetTableTexts>;
  /** As {@link Engine.fleet}; ArrayBuffers given as data are transferred. */
  fleet(tables: InputFile[] | FleetTables, options?: FleetOptions): Promise<FleetSummary>;
  /** Stops the worker; pending calls reject. */
  terminate(): void;
}

/** Starts `callsight/worker` in a module Worker and talks to it. Browsers only. */
export function createWorkerClient(options?: WorkerClientOptions): WorkerClient;

// -------------------------------------------------------------------- fleet --
// docs/TABLES.md describes the tables and the summary.

export type FleetTableName = 'sessions' | 'participants' | 'issues' | 'breaches' | 'errors';
/** Each table's rows as NDJSON text (one JSON object a line, each ending in a newline). */
export type FleetTableTexts = Record<FleetTableName, string>;
/** Tables by name; `sessions` is required, a missing other table has no rows. */
export type FleetTables = { sessions: InputData } & Partial<Record<FleetTableName, InputData>>;

export interface FleetOptions {
  /** "YYYY-MM-DD": only the sessions that started that day or later. */
  since?: string;
}

/** One issue code across the fleet or within a group. Shares are 0..1. */
export interface FleetIssue {
  code: IssueCode;
  count: number;
  critical: number;
  sessions: number;
  participants: number;
  session_share: number;
  participant_share: number;
  critical_share: number;
}

export interface FleetGroup {
  /** null: not known (e.g. a 100ms participant without an error event has no user agent). */
  value: string | null;
  participants: number;
  sessions: number;
  participants_affected: number;
  sessions_affected: number;
  affected_share: number;
  issues: FleetIssue[];
}

export interface FleetBreakdown {
  dimension: 'browser' | 'os' | 'sdk_version' | 'role' | 'room';
  /** The group with the highest participant share of the fleet's top issue (at least 5 participants). */
  most_affected: string | null;
  most_affected_share: number;
  groups: FleetGroup[];
}

export interface FleetSession {
  session_id: string;
  room_id: string | null;
  room_name: string | null;
  started_at: string;
  day: string;
  participants: number;
  cqs_mean: number | null;
  issues: number;
  critical: number;
  verdict: string;
}

export interface FleetRoom {
  room_id: string | null;
  room_name: string | null;
  sessions: number;
  participants: number;
  cqs_mean: number | null;
  sessions_with_issue: number;
  sessions_critical: number;
}

export interface FleetDay {
  day: string;
  sessions: number;
  sessions_with_issue: number;
  issue_share: number;
  sessions_critical: number;
  cqs_mean: number | null;
}

/** `callsight fleet --format json`. */
export interface FleetSummary {
  since: string | null;
  sessions: number;
  participants: number;
  participant_minutes: number;
  top_issue: IssueCode | null;
  worst_day: string | null;
  failures: {
    participants_failed: number;
    participants_terminal: number;
    sessions_critical: number;
    failure_share: number;
    terminal_share: number;
    critical_session_share: number;
  };
  /** Every code, by sessions, then count, then code. */
  issues: FleetIssue[];
  breakdowns: FleetBreakdown[];
  worst_sessions: FleetSession[];
  worst_rooms: FleetRoom[];
  days: FleetDay[];
  /** The engine's labels, as in the report (Report.labels). */
  labels: Labels;
}

// ------------------------------------------------------------------- config --

export interface ThresholdLevels {
  /** null disables the level. */
  warning?: number | null;
  critical?: number | null;
}

/** The analysis configuration (docs/CONFIG.md). Every field is optional. */
export interface Config {
  thresholds?: {
    packet_loss_percent?: ThresholdLevels;
    rtt_ms?: ThresholdLevels;
    jitter_ms?: ThresholdLevels;
    video_bitrate_kbps?: ThresholdLevels;
    audio_bitrate_kbps?: ThresholdLevels;
    fps?: ThresholdLevels;
    screen_fps?: ThresholdLevels;
    concealment_percent?: ThresholdLevels;
    audio_muted_kbps?: number;
    freeze_warning_count?: number;
    freeze_critical_per_10s?: number;
    freeze_critical_seconds?: number;
  };
  meeting_gap_minutes?: number;
  window_seconds?: number;
  low_mos?: number;
  issue_min_seconds?: number;
  issue_min_samples?: number;
  audio_profile?: { ie?: number; bpl?: number };
  /** The detections' settings (docs/DETECTIONS.md, docs/CONFIG.md). */
  detections?: {
    min_samples?: number;
    most_share?: number;
    default_rtt_ms?: number;
    degradation_share?: number;
    degradation_min_peers?: number;
    degradation_span_seconds?: number;
    collapse_ratio?: number;
    collapse_min_seconds?: number;
    rejoin_cycles?: number;
    rejoin_window_minutes?: number;
  };
  /** Browser dumps: show IP addresses as written (masked by default). */
  show_addresses?: boolean;
  /**
   * Times of day in the reports' sentences at this offset from UTC, in whole
   * minutes (-840 to 840; default 0, UTC). The page passes the browser's own
   * (`-new Date().getTimezoneOffset()`) when the user picks local time.
   */
  utc_offset_minutes?: number;
}

// ------------------------------------------------------------------- report --
// Times are Unix epoch milliseconds (integers). Unknown measurements are null.

export type Severity = 'info' | 'warning' | 'critical';
export type Direction = 'publisher' | 'subscriber';
export type MediaKind = 'audio' | 'video' | 'screen';
export type Health = 'none' | 'good' | 'moderate' | 'poor';
export type Band = 'excellent' | 'good' | 'fair' | 'poor' | 'failed';
export type InputKind =
  | 'peer-stats'
  | 'session'
  | 'session-list'
  | 'analytics-events'
  | 'webhook-events'
  | 'webhook-history'
  | 'webrtc-internals-dump'
  | 'rtcstats-dump'
  | 'mixed'
  | 'unknown';
/** Where a participant's data came from, when a browser's stats dump gave it. */
export interface DataSource {
  dump: 'webrtc-internals' | 'rtcstats' | 'rtcstats-v3';
  stats_format: 'unknown' | 'chrome_standard' | 'chrome_legacy' | 'firefox' | 'safari';
  /** The dump kept only the call's last samples (webrtc-internals: 1000 per series). */
  truncated: boolean;
}
/** One RTCPeerConnection of a browser dump. Times are Unix ms, null when the dump does not say. */
export interface PeerConnection {
  id: string;
  created_ms: number | null;
  connected_ms: number | null;
  /** ICE checking to connected. */
  setup_ms: number | null;
  /** connectionState connecting to connected (ICE and DTLS; rtcstats' connectionTime). */
  connection_ms: number | null;
  /** ICE connected to connectionState connected: the DTLS handshake. */
  dtls_ms: number | null;
  /** The first offer/answer exchange: have-local-offer (or have-remote-offer) to stable. */
  signaling_ms: number | null;
  /** Only with signaling_ms: this side made the offer. */
  offerer?: boolean;
  failed_ms: number | null;
  closed_ms: number | null;
  /** The selected candidate pair: "host", "srflx", "prflx", "relay" ("" unknown). */
  local_candidate_type: string;
  remote_candidate_type: string;
  /** "udp" or "tcp". */
  protocol: string;
  /** A relay candidate's way to its TURN server: "udp", "tcp", "tls" ("" none). */
  relay_protocol: string;
  local_address: string;
  remote_address: string;
  addresses_masked: boolean;
  ice_restarts: number;
  ice_restarts_completed: number;
  /** DTLS of the first transport with a tlsVersion: "client"/"server", "FEFD", the SRTP cipher. */
  dtls_role?: string;
  tls_version?: string;
  srtp_cipher?: string;
  /** A remote description said a=ice-lite; absent when none was logged. */
  remote_ice_lite?: boolean;
  /** The configured ICE servers (count absent when the configuration is Chrome's own text). */
  ice_servers?: {
    count?: number;
    stun: boolean;
    turn_udp: boolean;
    turn_tcp: boolean;
    turns: boolean;
    relay_only: boolean;
  };
  /** Candidate types gathered locally / added from the remote; absent when none was logged. */
  gathered_candidates?: CandidateType[];
  added_candidates?: CandidateType[];
  /** The selected pair's mean STUN round trip, ms; its mean bitrates, bits/s. */
  stun_rtt_ms?: number;
  outbound_bps?: number;
  inbound_bps?: number;
}
export type CandidateType = 'host' | 'mdns' | 'srflx' | 'prflx' | 'relay';
export interface FrameSize {
  width: number;
  height: number;
}
export type InputStatus = 'ok' | 'rejected' | 'repaired';
/** docs/REPORT.md, "Call types". */
export type CallType = 'one-to-zero' | 'one-to-one' | 'multiparty' | 'broadcast' | 'webinar';
export type VerdictLevel = 'ok' | 'info' | 'warning' | 'critical';
/** Why a peer is among the worst peers; also the order of the groups. */
export type RankReason = 'own_issues' | 'failure' | 'affected' | 'low_cqs';
export interface SeverityCounts {
  info: number;
  warning: number;
  critical: number;
}
/** The headline shared by the text report, the page and the CLI exit status. */
export interface Verdict {
  level: VerdictLevel;
  issues: SeverityCounts;
  failures: number;
  terminal_failures: number;
  affected_peers: number;
  low_cqs_peers: number;
  peers: number;
  never_joined: number;
}
/** One entry of the worst-peer ranking (docs/REPORT.md, "Worst peers"). */
export interface RankedPeer {
  peer_id: string;
  name?: string;
  reason: RankReason;
  /** Of its worst own issue; null without own issues. */
  severity: Severity | null;
  issues: number;
  issue_duration_ms: number;
  failures: number;
  affected_by: number;
  cqs: number | null;
}
/** Issue codes (core: IssueCodeName; tests/core/findings_test.cpp checks this list). */
export type IssueCode =
  | 'high_packet_loss'
  | 'high_rtt'
  | 'high_jitter'
  | 'low_audio_bitrate'
  | 'low_video_bitrate'
  | 'low_fps'
  | 'video_freeze'
  | 'audio_concealment'
  | 'simulcast_layer_off'
  | 'media_gap'
  | 'low_audio_mos'
  | 'join_failed'
  | 'connect_failed'
  | 'publish_failed'
  | 'subscribe_failed'
  | 'disconnected'
  | 'low_received_fps'
  | 'nothing_received'
  | 'low_received_audio_mos'
  | 'session_degradation'
  | 'bitrate_collapse'
  | 'cpu_limited_video'
  | 'bandwidth_limited_video'
  | 'resolution_drop'
  | 'high_jitter_buffer_delay'
  | 'received_stream_stalled'
  | 'periodic_jitter_buffer_flushes'
  | 'cpu_pressure'
  | 'ice_candidate_error'
  | 'relayed_connection'
  | 'tcp_connection'
  | 'slow_setup'
  | 'ice_restart'
  | 'signaling_error'
  | 'repeated_rejoins';
/** Breach metrics (core: BreachMetricName; tests/core/findings_test.cpp checks this list). */
export type BreachMetric =
  | 'packet_loss_percent'
  | 'rtt_ms'
  | 'jitter_ms'
  | 'bitrate'
  | 'video_bitrate_total'
  | 'fps'
  | 'layer_off'
  | 'mos'
  | 'concealment_percent'
  | 'freeze_count'
  | 'media_gap';

/** The model's series: the exports' sample names and those of browser stats dumps. */
export type TrackMetric =
  | 'bitrate'
  | 'fps'
  | 'packet_loss_percent'
  | 'rtt_ms'
  | 'jitter_ms'
  | 'freeze_count'
  | 'concealed_samples'
  | 'frame_height'
  | 'cpu_limited'
  | 'bandwidth_limited'
  | 'freeze_ms'
  | 'jitter_buffer_ms'
  | 'paused_ms'
  | 'jitter_buffer_minimum_ms'
  | 'encode_usage'
  | 'decode_usage';

/** The engine's short label of every issue code and metric name: the words a
 * page shows for a code (e.g. high_rtt: "High round-trip time"). */
export interface Labels {
  /** Every issue code, used in the report or not. */
  issue_codes: Record<IssueCode, string>;
  /** Every model series (TrackMetric), breach metric and chart metric name, each once. */
  metrics: Record<TrackMetric | BreachMetric | ChartMetric, string>;
}

export interface Report {
  schema_version: 2;
  generator: { name: 'callsight'; version: string };
  /** The configuration used, in the shape of a config file. */
  config: Config;
  /** The zone of the times of day in the report's sentences: "UTC", "UTC+05:30" (config.utc_offset_minutes). */
  time_zone: string;
  /** One rule per direction, kind and chart metric. */
  charts: ChartRule[];
  /** The engine's label of every issue code and metric. */
  labels: Labels;
  /** Only when the report itself could not be built (out of memory). */
  error?: string;
  /** One per input file, in the order given. */
  inputs: InputReport[];
  /** By start time, then session id. */
  sessions: SessionReport[];
  /** Rooms with events that came without session_id and fit no session. */
  rooms: RoomReport[];
}

/** What failed, from the event type (client.publish.failed -> publish, ...). */
export type FailedOperation = 'connect' | 'join' | 'publish' | 'subscribe' | 'connection' | 'other';

export interface UnattachedEvent {
  time_ms: number;
  peer_id?: string;
  type: string;
  detail: string;
  error: boolean;
  failed?: FailedOperation;
  /** The input file. */
  source: string;
  /** no_session_of_room: no session of its room in the inputs; no_match: none has its peer or spans its time (+-10 min). */
  why: 'no_session_of_room' | 'no_match';
}

export interface RoomReport {
  /** "" when the events name no room. */
  room_id: string;
  unattached_events: UnattachedEvent[];
  /** The room's sessions' attempts and failures added up, plus its unattached failures. */
  failure_rates: { [action: string]: FailureRate };
}

/** A session's webhook-history records: failed ones are webhooks the account's own server missed. */
export interface WebhookDeliveries {
  delivered: number;
  failed: number;
  /** Original event type -> failed deliveries. */
  failed_by_event: { [type: string]: number };
  /** error_reason as written -> count. */
  failed_reasons: { [reason: string]: number };
}

export interface InputMessage {
  /** An error rejects the file; a warning goes with a repair; an info notes something kept as it is. */
  level: 'error' | 'warning' | 'info';
  /** 1-based line (NDJSON document or byte position). */
  line?: number;
  /** JSON Pointer into the document; "" = the whole document. */
  pointer: string;
  /** One plain sentence. */
  text: string;
  /** The full line: "file: line N, at /pointer: text". */
  message: string;
}

export interface InputReport {
  name: string;
  kind: InputKind;
  status: InputStatus;
  /** Bytes read: for a compressed file, once decompressed (its compressed
   * size when it could not be decompressed). */
  bytes: number;
  /** Documents accepted from the file. */
  documents: number;
  /** Only for a file that came compressed, and was decompressed before the
   * engine read it (or was rejected because it could not be). */
  compression?: 'gzip';
  messages: InputMessage[];
}

export interface Stats {
  median: number | null;
  p95: number | null;
  worst: number | null;
  count?: number;
}

export type StatsMap = Record<string, Stats>;

export interface SessionSummary {
  participants: number;
  participant_minutes: number | null;
  meetings: number;
  published_tracks: number;
  issues_by_code: Partial<Record<IssueCode, number>>;
  issues_by_severity: SeverityCounts;
  verdict: Verdict;
  /** Every peer with a problem, worst first: show as is. */
  worst_peers: RankedPeer[];
  /** At most 5 indices into SessionReport.issues, the worst first. */
  top_issues: number[];
  /** Index into SessionReport.issues of the worst issue with a pair (the pair to compare first), or null. */
  top_pair: number | null;
  /** "<direction>.<kind>.<metric>" (e.g. "publisher.audio.packet_loss_percent") -> stats. */
  metrics: StatsMap;
  [key: string]: unknown;
}

export interface Meeting {
  index: number;
  start_ms: number;
  end_ms: number;
  duration_ms: number;
  peer_ids: string[];
  participant_minutes: number | null;
  published_tracks: number;
  /** People seen: peer_ids plus senders seen only through received tracks. */
  participants: number;
  publishers: number;
  viewers: number;
  call_type: CallType;
  issues_by_severity: SeverityCounts;
  /** At most 5 indices into SessionReport.issues. */
  top_issues: number[];
  /** As SessionSummary.top_pair, among the issues in this meeting. */
  top_pair: number | null;
  /** Peer ids of summary.worst_peers with a problem in this meeting, in that order. */
  worst_peers: string[];
}

export interface TrackReport {
  /** "<direction>/<track_id>/<rid>": pass it to series(). */
  key: string;
  track_id: string;
  direction: Direction;
  kind: MediaKind;
  /** Simulcast layer h, m, l. */
  rid?: string;
  /** Browser dumps' sent layers: the index of its encoding among the sender's (encodingIndex). */
  encoding_index?: number;
  /** Subscriber tracks: who published it, when known. */
  remote_peer_id?: string;
  remote_peer_name?: string;
  samples: number;
  start_ms: number | null;
  end_ms: number | null;
  spacing_ms: number;
  /** Per metric: bitrate, fps, packet_loss_percent, rtt_ms, jitter_ms, freeze_count,
   * concealed_samples, and derived concealment_percent, video_bitrate_total. */
  stats: StatsMap;
  /** Audio: mean E-model MOS (1-4.5) over the windows it sent. */
  mos?: number;
  /** Video and screen: mean video score (0-5) over the windows it sent. */
  score?: number;
  /** When the track sent nothing (muted, or 0 bit/s and 0 fps; a received track: its
   * sender's times), first to last such sample; excluded from scores. Draw as muted.
   * Empty except on a track's first layer. */
  /** Browser dumps only: what the dump says of the stream beyond its series. */
  stream?: {
    codec?: string;
    /** The codec's SDP fmtp parameters (sdpFmtpLine). */
    codec_fmtp?: string;
    implementation?: string;
    nack_count?: number;
    pli_count?: number;
    fir_count?: number;
    encode_ms_per_frame?: number;
    decode_ms_per_frame?: number;
    accelerated_percent?: number;
    decelerated_percent?: number;
    /** Frames encoded (sent) or decoded (received), of them key frames; qpSum per frame. */
    frame_count?: number;
    key_frame_count?: number;
    qp_per_frame?: number;
    /** Video: the most frequent frame size, the smallest and largest by pixels. */
    common_size_px?: FrameSize;
    min_size_px?: FrameSize;
    max_size_px?: FrameSize;
    /** Sent video: % of the time limited by CPU, bandwidth, other; resolution changes so caused. */
    cpu_limited_percent?: number;
    bandwidth_limited_percent?: number;
    other_limited_percent?: number;
    limitation_resolution_changes?: number;
    /** powerEfficientEncoder / powerEfficientDecoder. */
    power_efficient?: boolean;
    freeze_count?: number;
    freeze_total_ms?: number;
    frames_dropped?: number;
    /** Jitter-buffer delay, target and minimum delay per emitted frame or sample, ms. */
    jitter_buffer_ms?: number;
    jitter_buffer_target_ms?: number;
    jitter_buffer_minimum_ms?: number;
    jitter_buffer_flushes?: number;
    /** Processing delay per emitted unit, assembly time per multi-packet frame, inter-frame delay; ms. */
    processing_ms?: number;
    assembly_ms?: number;
    inter_frame_ms?: number;
    /** Received audio: concealed samples, % of those received. */
    concealed_percent?: number;
    /** Received video: a sample named the decoder "NullVideoDecoder". */
    null_decoder?: boolean;
    /** Sent video: mean PSNR per plane (psnrSum / psnrMeasurements), dB, where measured. */
    psnr_y_db?: number;
    psnr_u_db?: number;
    psnr_v_db?: number;
    /** ECN (L4S) packet counts: sent with ECT(1); received with ECT(1) and with CE (by this
     * browser, or as a sent stream's receiver reported them); sent with ECT(1) and found
     * cleared on the way (sent streams). */
    ect1_sent_packets?: number;
    ect1_received_packets?: number;
    ce_received_packets?: number;
    ect1_bleached_packets?: number;
    /** Received video: ms from its connection connected (or its later ontrack) to the first
     * sample showing a decoded frame. */
    first_frame_ms?: number;
  };
  not_sending: { start_ms: number; end_ms: number }[];
  /** What to chart (every layer holds those of the whole track): each metric any layer
   * reports, then the MOS for audio with a MOS or a packet loss; drawn as Report.charts says. */
  charts: ChartMetric[];
}

/** What a track's chart plots (core: ChartMetricName; tests/core/findings_test.cpp checks this list). */
export type ChartMetric =
  | 'bitrate'
  | 'fps'
  | 'packet_loss_percent'
  | 'rtt_ms'
  | 'jitter_ms'
  | 'freeze_count'
  | 'concealment_percent'
  | 'mos';

/** How a chart of `metric` on a track of this direction and kind is drawn. */
export interface ChartRule {
  direction: Direction;
  kind: MediaKind;
  metric: ChartMetric;
  /** The levels the analysis checks the series against, in the chart's unit, warning
   * first; note names the series checked when it is not the plotted layer. */
  thresholds: {
    value: number;
    severity: Severity;
    note?: 'all layers together' | 'highest sending layer';
    /** The series checked when not the plotted layer's (all_layers: series() of 'video_bitrate_total'). */
    series?: 'all_layers' | 'highest_sending_layer';
  }[];
  /** The breach metrics to draw on this chart. */
  breach_metrics: BreachMetric[];
}

/** Another peer and indices into a peer's tracks (PeerReport.receives_from, received_by). */
export interface PeerLink {
  /** "" when the inputs do not say who sent it. */
  peer_id: string;
  tracks: number[];
}

/** A window's overall is the lower of uplink and downlink; a direction whose tracks all
 * sent nothing in the window is null. */
export interface CqsWindow {
  start_ms: number;
  uplink: number | null;
  downlink: number | null;
  overall: number | null;
}

/** How one direction's windows went. */
export interface CqsSummary {
  /** The lowest window score and the start of that window. */
  worst: number | null;
  worst_start_ms: number | null;
  /** Time in windows scoring below 2 (poor or failed) and below 1 (failed). */
  below_fair_ms: number;
  below_poor_ms: number;
}

export interface PeerReport {
  peer_id: string;
  name?: string;
  user_id?: string;
  role?: string;
  /** present; never_joined (known only from failed join/connect events); unknown (known only from other events). */
  attendance: 'present' | 'never_joined' | 'unknown';
  /** true when present, false when it never joined, null when unknown; times are null and presence empty unless present. */
  joined: boolean | null;
  joined_ms: number | null;
  left_ms: number | null;
  /** Time present (the presence intervals summed). */
  duration_ms: number | null;
  /** "HH:MM:SS". */
  duration: string | null;
  /** Sorted, disjoint: one per join/leave pair, else first to last sample. */
  presence: { start_ms: number; end_ms: number }[];
  published_tracks: number;
  /** left, removed, disconnected, removed from server, or the raw reason. */
  end_reason?: string;
  end_reason_raw?: string;
  platform?: string;
  os?: string;
  browser?: string;
  framework?: string;
  sdk?: string;
  device_model?: string;
  /** Present when a browser's stats dump (not a 100ms export) gave this participant. */
  data_source?: DataSource;
  /** Browser dumps only: the peer connections (addresses masked unless config.show_addresses). */
  connections?: PeerConnection[];
  /** Connection Quality Score 0-5: the lower of the time-weighted mean of the windows and
   * the lowest score held for a minute (docs/SCORING.md); cqs_band is its band. */
  cqs: number | null;
  cqs_uplink: number | null;
  cqs_downlink: number | null;
  /** The plain time-weighted means of the windows. */
  cqs_mean: number | null;
  cqs_uplink_mean: number | null;
  cqs_downlink_mean: number | null;
  cqs_band: Band | null;
  cqs_windows: CqsWindow[];
  cqs_summary: { overall: CqsSummary; uplink: CqsSummary; downlink: CqsSummary };
  call_health: { audio: Health; video: Health; screen: Health };
  issue_count: number;
  tracks: TrackReport[];
  /** Who it received from: per sender, indices into this peer's tracks (audio, video, screen). */
  receives_from: PeerLink[];
  /** Who received it: per receiver in peer order, indices into that peer's tracks. */
  received_by: PeerLink[];
}

export interface Breach {
  peer_id: string;
  track_id: string;
  direction: Direction;
  kind: MediaKind;
  rid?: string;
  /** An export metric name or a derived one (docs/REPORT.md, breaches). */
  metric: BreachMetric;
  severity: Severity;
  threshold: number | null;
  start_ms: number;
  end_ms: number;
  peak: number | null;
  mean: number | null;
  samples: number;
  /** Index into issues[] of the issue that explains it. */
  issue: number | null;
}

export interface Issue {
  index: number;
  code: IssueCode;
  severity: Severity;
  /** The peer the issue is attributed to; '' for a session-wide issue (session_degradation). */
  peer_id: string;
  peer_name?: string;
  track_ids: string[];
  /** uplink = what the peer sent, downlink = what it received. */
  direction: 'uplink' | 'downlink' | null;
  start_ms: number;
  end_ms: number;
  duration_ms: number;
  title: string;
  detail: string;
  advice: string;
  /** Indices into breaches[]. */
  breaches: number[];
  /** Receivers that suffered from an uplink issue. */
  affected_peers: string[];
  /** Uplink issues: the receivers' breaches this issue explains (docs/REPORT.md, Attribution). */
  explains: Array<{ breach: number; peer_id: string; track_id: string; metric: BreachMetric }>;
  /** The sender -> receiver pair the issue involves (others: other receivers or senders), or null (docs/REPORT.md). */
  pair: IssuePair | null;
  /** The detection codes only: their figures (docs/DETECTIONS.md). */
  detection?: DetectionFigures;
  /** Connection issues only: the peer connection (Peer.connections[].id). */
  connection_id?: string;
  /** slow_setup only: the step that was slow (first_frame: track_ids holds the video). */
  setup_step?: 'ice' | 'dtls' | 'first_frame';
}

/** An issue's sender -> receiver pair (peer ids). */
export interface IssuePair {
  from: string;
  to: string;
  /** How many other receivers (uplink) or senders (downlink) the issue involves. */
  others: number;
}

/** A detection issue's figures (docs/DETECTIONS.md; numbers not measured are left out). */
export interface DetectionFigures {
  value?: number;
  worst?: number;
  threshold?: number;
  baseline?: number;
  samples: number;
  peers: string[];
  peers_total: number;
  family?: 'loss' | 'delay' | 'video_quality' | 'audio';
  user_id?: string;
  cycles?: number;
  loss_pct?: number;
  rtt_ms?: number;
  jitter_ms?: number;
  /** low_received_audio_mos on browser dumps: the receiver's measured jitter-buffer delay. */
  jitter_buffer_ms?: number;
  default_delay?: boolean;
}

export interface SessionEvent {
  time_ms: number;
  peer_id?: string;
  type: string;
  detail: string;
  error: boolean;
  /** Made by the analysis (breach.start, layer.off, ...) rather than read from an input. */
  derived: boolean;
}

export interface ErrorEvent {
  time_ms: number;
  peer_id: string;
  type: string;
  /** The event's action exactly as written ("PUBLISH"); may be empty. */
  action: string;
  failed: FailedOperation;
  error_code: string;
  error_name: string;
  error_message: string;
  is_terminal: boolean;
  /** The SDK error code's kind, family and likely side (docs/ERRORS.md); "unknown" when not known. */
  error_kind: string;
  error_family: string;
  error_side: 'unknown' | 'user' | 'network' | 'application' | 'platform';
  /** What the code means and what to do, one sentence each. */
  meaning: string;
  advice: string;
  /** Index into the session's issues of the issue that reports this event; null when none does. */
  issue: number | null;
  /** The input file. */
  source: string;
  track_id?: string;
  detail?: string;
}

export interface FailureRate {
  attempts: number;
  failures: number;
  terminal: number;
  retried: number;
  rate: number | null;
}

export interface SessionReport {
  session_id: string;
  room_id: string;
  start_ms: number;
  end_ms: number;
  duration_ms: number;
  summary: SessionSummary;
  meetings: Meeting[];
  /** Peers grouped by user_id (a user's attempts and rejoins). */
  users: { user_id: string; name?: string; peer_ids: string[] }[];
  /** Sessions of more than 100 participants only: activity over time and participants by role. */
  activity?: SessionActivity;
  peers: PeerReport[];
  breaches: Breach[];
  issues: Issue[];
  events: SessionEvent[];
  webhook_deliveries: WebhookDeliveries;
  errors: {
    events: ErrorEvent[];
    failure_rates: {
      connect: FailureRate;
      join: FailureRate;
      publish: FailureRate;
      subscribe: FailureRate;
      [action: string]: FailureRate;
    };
  };
}

/** A large session's joins, publishes and subscribes per time bucket (docs/REPORT.md, "activity"). */
export interface SessionActivity {
  start_ms: number;
  bucket_ms: number;
  buckets: number;
  operations: Record<'connect' | 'join' | 'publish' | 'subscribe', { succeeded: number[]; failed: number[] }>;
  roles: { role: string; participants: number; with_issues: number; failures: number }[];
}
