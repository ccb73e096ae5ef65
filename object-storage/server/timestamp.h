// Swift's timestamps: seconds since the epoch with five decimals ("1700000000.12345"),
// sent by the proxy in X-Timestamp with every write. Of two versions of one name, the one
// with the later timestamp wins, wherever and in whatever order they arrive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gureum::object {

class Timestamp {
 public:
  Timestamp() = default;
  static Timestamp FromTime(absl::Time t);
  // "1700000000.12345", "1700000000.1" or "1700000000"; nullopt otherwise.
  static std::optional<Timestamp> Parse(absl::string_view text);

  // Always ten digits, a dot and five ("0000000012.50000"), so names sort by time.
  std::string ToString() const;
  int64_t ticks() const { return ticks_; }  // 10 microsecond units
  int64_t seconds() const { return ticks_ / 100000; }
  bool empty() const { return ticks_ == 0; }

  friend bool operator<(Timestamp a, Timestamp b) { return a.ticks_ < b.ticks_; }
  friend bool operator<=(Timestamp a, Timestamp b) { return a.ticks_ <= b.ticks_; }
  friend bool operator>(Timestamp a, Timestamp b) { return a.ticks_ > b.ticks_; }
  friend bool operator>=(Timestamp a, Timestamp b) { return a.ticks_ >= b.ticks_; }
  friend bool operator==(Timestamp a, Timestamp b) { return a.ticks_ == b.ticks_; }
  friend bool operator!=(Timestamp a, Timestamp b) { return a.ticks_ != b.ticks_; }

 private:
  explicit Timestamp(int64_t ticks) : ticks_(ticks) {}
  int64_t ticks_ = 0;
};

}  // namespace gureum::object
