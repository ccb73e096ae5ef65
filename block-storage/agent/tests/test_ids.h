// Ids the agent's tests share (one definition: the test files are built in unity batches).
#pragma once

namespace gureum::volume_agent::test_ids {

inline constexpr char kVol[] = "11111111-1111-4111-8111-111111111111";
inline constexpr char kVol2[] = "22222222-2222-4222-8222-222222222222";
inline constexpr char kSnap[] = "33333333-3333-4333-8333-333333333333";
inline constexpr char kVol3[] = "44444444-4444-4444-8444-444444444444";
inline constexpr char kAtt[] = "55555555-5555-4555-8555-555555555555";
inline constexpr char kImage[] = "66666666-6666-4666-8666-666666666666";

}  // namespace gureum::volume_agent::test_ids
