// A browser's stats dump (stats_dump.h) as the session model sees it: one
// participant (the browser that wrote the dump) in a session of its own, its
// sent and received media as tracks with per-interval series, and what it
// logged as events.
//
// Identity comes from the dump's content, never its file name (docs/INPUTS.md,
// "Browser stats dumps"): the participant is the dump's client id when it has
// one, else "browser-" and a hash of its user agent, connection ids and first
// time; the session is "dump-" and the same hash.
#ifndef CALLSIGHT_INGEST_DUMP_TO_MODEL_H_
#define CALLSIGHT_INGEST_DUMP_TO_MODEL_H_

#include <string>
#include <vector>

#include "callsight/ingest.h"
#include "ingest/fragment.h"
#include "ingest/stats_dump.h"

namespace callsight::ingest {

// Appends what `dump` contributes to `out`: a peer-stats document (one entry
// per sent layer and received stream), the peer's facts (browser, OS, first
// and last time as its presence), a session fact, and its events. Counters
// become per-interval values in the model's units: bitrate in bit/s from
// bytes, loss in percent from packet counts, round-trip time and jitter in
// ms, freezes and concealed samples per interval. `source` is the file name
// (each event's source). Infos and warnings (nothing sent or received, a
// counter that went backwards) are appended to `messages`; it never fails.
void DumpToFragment(const StatsDump& dump, const std::string& source, Fragment* out,
                    std::vector<InputMessage>* messages);

}  // namespace callsight::ingest

#endif  // CALLSIGHT_INGEST_DUMP_TO_MODEL_H_
