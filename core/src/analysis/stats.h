// The statistics of analysis.h (ComputeStats, SampleSpacingMs) with buffers
// the caller keeps across calls: the analysis computes them for every metric
// of every track, on each worker with its own StatsScratch.
#ifndef CALLSIGHT_ANALYSIS_STATS_H_
#define CALLSIGHT_ANALYSIS_STATS_H_

#include <cstdint>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/model.h"
#include "util/select.h"

namespace callsight {

// What the statistics reuse from call to call; its contents between calls
// mean nothing. One per thread at a time.
struct StatsScratch {
  std::vector<float> numbers;
  SelectScratch<float> select;
  std::vector<int64_t> steps;
  SelectScratch<int64_t> select_steps;
};

// ComputeStats and SampleSpacingMs of analysis.h, the same results bit for
// bit, with the buffers of `scratch`.
MetricStats ComputeStats(const Samples& values, bool higher_is_worse, StatsScratch* scratch);
MetricStats ComputeStats(const std::vector<const Samples*>& columns, bool higher_is_worse,
                         StatsScratch* scratch);
int64_t SampleSpacingMs(const std::vector<int64_t>& timestamps_ms, StatsScratch* scratch);

}  // namespace callsight

#endif  // CALLSIGHT_ANALYSIS_STATS_H_
