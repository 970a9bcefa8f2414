#include "json/json_tree.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace callsight::json {

using Kind = JsonCursor::Kind;

Kind JsonValue::kind() const { return tree_ ? tree_->nodes_[node_].kind : Kind::kEnd; }

std::string_view JsonValue::text() const {
  if (!tree_) return std::string_view();
  const JsonTree::Node& n = tree_->nodes_[node_];
  return tree_->TextAt(n.text_at, n.text_size);
}

double JsonValue::number() const {
  if (!is_number()) return std::numeric_limits<double>::quiet_NaN();
  return ParseJsonNumber(text());
}

JsonValue JsonValue::Find(std::string_view name) const {
  if (!is_object()) return JsonValue();
  const auto& nodes = tree_->nodes_;
  JsonValue found;
  for (size_t i = node_ + 1; i < nodes[node_].end; i = nodes[i].end) {
    if (tree_->TextAt(nodes[i].name_at, nodes[i].name_size) == name) found = JsonValue(tree_, i);
  }
  return found;
}

std::vector<JsonValue> JsonValue::Elements() const {
  std::vector<JsonValue> out;
  if (!is_array()) return out;
  const auto& nodes = tree_->nodes_;
  for (size_t i = node_ + 1; i < nodes[node_].end; i = nodes[i].end)
    out.push_back(JsonValue(tree_, i));
  return out;
}

std::vector<std::pair<std::string_view, JsonValue>> JsonValue::Members() const {
  std::vector<std::pair<std::string_view, JsonValue>> all;
  if (!is_object()) return all;
  const auto& nodes = tree_->nodes_;
  for (size_t i = node_ + 1; i < nodes[node_].end; i = nodes[i].end) {
    all.emplace_back(tree_->TextAt(nodes[i].name_at, nodes[i].name_size), JsonValue(tree_, i));
  }
  // By name, repeats in document order; then the last of each name.
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string_view, JsonValue>> out;
  out.reserve(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    if (i + 1 == all.size() || all[i + 1].first != all[i].first) out.push_back(all[i]);
  }
  return out;
}

bool JsonTree::Read(JsonCursor* cursor, NumberRange range) {
  nodes_.clear();
  text_.clear();
  range_ = range;
  std::string scratch;
  return ReadValue(cursor, &scratch);
}

size_t JsonTree::Keep(std::string_view s) {
  const size_t at = text_.size();
  text_.append(s);
  return at;
}

// Numbers and literals, kept as written; SkipValue fails on anything else.
bool JsonTree::ReadScalar(JsonCursor* c, size_t me) {
  std::string_view span;
  if (!c->SkipValue(&span)) return false;
  if (range_ == NumberRange::kFinite && nodes_[me].kind == Kind::kNumber &&
      !std::isfinite(ParseJsonNumber(span))) {
    return c->Fail("number " + std::string(span.substr(0, 40)) + " is out of range");
  }
  nodes_[me].text_at = Keep(span);
  nodes_[me].text_size = span.size();
  return true;
}

bool JsonTree::ReadValue(JsonCursor* c, std::string* scratch) {
  const size_t me = nodes_.size();
  const Kind kind = c->Peek();
  nodes_.push_back(Node{kind, 0, 0, 0, 0, 0});
  switch (kind) {
    case Kind::kObject:
      if (!c->BeginObject()) return false;
      while (c->NextMember(scratch)) {
        const size_t member = nodes_.size();
        const size_t name_at = Keep(*scratch);
        const size_t name_size = scratch->size();
        if (!ReadValue(c, scratch)) return false;
        nodes_[member].name_at = name_at;
        nodes_[member].name_size = name_size;
      }
      break;
    case Kind::kArray:
      if (!c->BeginArray()) return false;
      while (c->NextElement()) {
        if (!ReadValue(c, scratch)) return false;
      }
      break;
    case Kind::kString:
      if (!c->ReadString(scratch)) return false;
      nodes_[me].text_at = Keep(*scratch);
      nodes_[me].text_size = scratch->size();
      break;
    default:
      if (!ReadScalar(c, me)) return false;
  }
  if (c->failed()) return false;
  nodes_[me].end = nodes_.size();
  return true;
}

}  // namespace callsight::json
