// JsonTree: one small JSON document read whole into a flat, read-only tree,
// for the readers of the small documents (sessions, session lists, events
// pages, webhook events) and for the config.
//
// It is built with JsonCursor, so it is as strict and as depth-capped. All
// text (member names, decoded strings, numbers as written) lives in one
// buffer and the nodes in one vector: reading a document costs a few
// allocations, where a DOM makes several per value (and in WebAssembly's
// threaded build every allocation takes the one allocator lock).
#ifndef CALLSIGHT_JSON_JSON_TREE_H_
#define CALLSIGHT_JSON_JSON_TREE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/json_cursor.h"

namespace callsight::json {

class JsonTree;

// A value in a JsonTree, or missing: a default JsonValue, or what Find gives
// for a name that is not there. A missing value is of no type: every is_*()
// is false and it has no members. Valid while its tree lives.
class JsonValue {
 public:
  JsonValue() = default;

  bool missing() const { return tree_ == nullptr; }
  bool is_object() const { return kind() == JsonCursor::Kind::kObject; }
  bool is_array() const { return kind() == JsonCursor::Kind::kArray; }
  bool is_string() const { return kind() == JsonCursor::Kind::kString; }
  bool is_number() const { return kind() == JsonCursor::Kind::kNumber; }
  bool is_bool() const { return kind() == JsonCursor::Kind::kBool; }
  bool is_null() const { return kind() == JsonCursor::Kind::kNull; }
  bool is_true() const { return is_bool() && text() == "true"; }

  // Strings: the decoded text. Numbers and literals: their bytes as written
  // ("-1.5e3", "true", "null"). Objects, arrays, missing: "".
  std::string_view text() const;

  // Numbers: the value, correctly rounded to a double (+-infinity beyond the
  // double range, unless the tree was read with NumberRange::kFinite).
  // Anything else: NaN.
  double number() const;

  // Objects: the value of the member named `name`, of the last one when the
  // name repeats (as a DOM keeps it). Missing when there is none, and for
  // anything but an object.
  JsonValue Find(std::string_view name) const;
  bool Has(std::string_view name) const { return !Find(name).missing(); }

  // Arrays: the elements in order. Anything else: none.
  std::vector<JsonValue> Elements() const;

  // Objects: each member name once, with its last member's value, ordered by
  // the names' bytes: the members a DOM keyed by std::map holds, in its order.
  // Anything else: none.
  std::vector<std::pair<std::string_view, JsonValue>> Members() const;

 private:
  friend class JsonTree;
  JsonValue(const JsonTree* tree, size_t node) : tree_(tree), node_(node) {}
  JsonCursor::Kind kind() const;

  const JsonTree* tree_ = nullptr;
  size_t node_ = 0;
};

class JsonTree {
 public:
  // kAny: any number the grammar allows (1e999 too), kept as written.
  // kFinite: a number beyond the double range fails the read, as ReadNumber.
  enum class NumberRange : uint8_t { kAny, kFinite };

  // Reads the JSON value at the cursor; the cursor stops right after it.
  // Returns false when the cursor fails (bad JSON, nesting deeper than the
  // cursor allows, or a number out of range under kFinite): the cursor then
  // says what and where, and the tree must not be read.
  bool Read(JsonCursor* cursor, NumberRange range = NumberRange::kAny);

  // The value read; missing before a successful Read.
  JsonValue root() const { return nodes_.empty() ? JsonValue() : JsonValue(this, 0); }

 private:
  friend class JsonValue;
  // Nodes are in document order; a container's members or elements follow
  // it, each one's subtree ending where the next one starts.
  struct Node {
    JsonCursor::Kind kind;
    size_t end;                 // one past the last node of this value's subtree
    size_t name_at, name_size;  // in text_: the member name, for members
    size_t text_at, text_size;  // in text_: see JsonValue::text()
  };

  bool ReadValue(JsonCursor* c, std::string* scratch);
  bool ReadScalar(JsonCursor* c, size_t me);
  // Appends s to text_ and returns where it starts.
  size_t Keep(std::string_view s);
  std::string_view TextAt(size_t at, size_t size) const {
    return std::string_view(text_).substr(at, size);
  }

  std::vector<Node> nodes_;
  std::string text_;
  NumberRange range_ = NumberRange::kAny;
};

}  // namespace callsight::json

#endif  // CALLSIGHT_JSON_JSON_TREE_H_
