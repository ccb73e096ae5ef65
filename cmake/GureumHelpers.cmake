# Target helpers in the style of abseil's absl_cc_library: every flag, include path and
# language standard is set on the target, never globally.
#
#   gureum_cc_library(NAME common_config SRCS a.cc HDRS a.h DEPS absl::status [TESTONLY])
#     -> target gureum_common_config, alias gureum::common_config
#   gureum_cc_binary(NAME gureum-manage SRCS main.cc DEPS ...)
#   gureum_cc_test(NAME common_config_test SRCS t.cc DEPS ... [LABELS integration])
#     -> a Catch2 binary whose test cases are registered with CTest.

function(gureum_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_17)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
  if(GUREUM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ${GUREUM_UNITY_BUILD})
  if(GUREUM_FUZZ)
    target_compile_options(${target} PRIVATE -g -fsanitize=fuzzer-no-link,address,undefined
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# gureum_fuzz_target(NAME token_fuzz SRCS token_fuzz.cc DEPS ...): a libFuzzer binary
# (GUREUM_FUZZ builds only; tests/fuzz/run.sh runs it for a bounded time).
function(gureum_fuzz_target)
  cmake_parse_arguments(G "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${G_NAME} ${G_SRCS})
  target_include_directories(${G_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${G_NAME} PRIVATE ${G_DEPS})
  gureum_target_defaults(${G_NAME})
  target_link_options(${G_NAME} PRIVATE -fsanitize=fuzzer)
endfunction()

function(gureum_cc_library)
  cmake_parse_arguments(G "TESTONLY" "NAME" "SRCS;HDRS;DEPS" ${ARGN})
  set(target gureum_${G_NAME})
  if(G_SRCS)
    add_library(${target} STATIC ${G_SRCS} ${G_HDRS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${G_DEPS})
    gureum_target_defaults(${target})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${G_DEPS})
    target_compile_features(${target} INTERFACE cxx_std_17)
  endif()
  add_library(gureum::${G_NAME} ALIAS ${target})
endfunction()

function(gureum_cc_binary)
  cmake_parse_arguments(G "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${G_NAME} ${G_SRCS})
  target_include_directories(${G_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${G_NAME} PRIVATE ${G_DEPS})
  gureum_target_defaults(${G_NAME})
endfunction()

function(gureum_cc_test)
  if(NOT GUREUM_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(G "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT G_LABELS)
    set(G_LABELS unit)
  endif()
  add_executable(${G_NAME} ${G_SRCS})
  target_include_directories(${G_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${G_NAME} PRIVATE gureum::testing_catch_main ${G_DEPS})
  gureum_target_defaults(${G_NAME})
  # Test code is not optimised: a unity batch of test sources (Catch2's macros, many
  # template instantiations) compiles in about 30% less time at -O0 than at -O1 (five
  # batches: 66 s against 93 s). The code under test is in the libraries, built as the
  # build type says (Release: -O2).
  target_compile_options(${G_NAME} PRIVATE -O0)
  catch_discover_tests(${G_NAME}
    TEST_PREFIX "${G_NAME}: "
    PROPERTIES LABELS "${G_LABELS}" TIMEOUT 300)
endfunction()

# gureum_e2e_test(NAME name SCRIPT script.sh [SERVICES a|b|none] [HOST])
#   -> ctest test e2e_<name>, labelled e2e: `bash script.sh` with GUREUM_BUILD_DIR set.
# ./tests/run.sh starts two sets of throw-away servers (PostgreSQL + RabbitMQ), a and b,
# and runs the e2e tests three at a time; locks keep apart the tests that would step on
# each other:
#   SERVICES a|b   (default a) the set the test uses (tests/e2e/lib.sh picks it from
#                  GUREUM_E2E_SERVICES): its service databases (gureum_identity, ...) are
#                  recreated under the same names by every test, and its queues have
#                  fixed names, so one test per set at a time (lock e2e_services_<set>);
#                  none: the test uses neither set (the installer's tests)
#   HOST           this machine's own cloud: ./deploy/allinone.sh (system PostgreSQL and
#                  RabbitMQ, /etc/gureum, the services' fixed ports, qemu:///system), and
#                  the host-wide network state its tests check (lock e2e_host).
function(gureum_e2e_test)
  if(NOT GUREUM_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(G "HOST" "NAME;SCRIPT;SERVICES" "" ${ARGN})
  if(NOT G_SERVICES)
    set(G_SERVICES a)
  endif()
  if(NOT G_SERVICES MATCHES "^(a|b|none)$")
    message(FATAL_ERROR "gureum_e2e_test(${G_NAME}): SERVICES is a, b or none, not ${G_SERVICES}")
  endif()
  set(locks "")
  if(NOT G_SERVICES STREQUAL "none")
    list(APPEND locks e2e_services_${G_SERVICES})
  endif()
  if(G_HOST)
    list(APPEND locks e2e_host)
  endif()
  add_test(NAME e2e_${G_NAME} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${G_SCRIPT})
  set_tests_properties(e2e_${G_NAME} PROPERTIES LABELS e2e TIMEOUT 600
    RESOURCE_LOCK "${locks}"
    ENVIRONMENT "GUREUM_BUILD_DIR=${PROJECT_BINARY_DIR};GUREUM_E2E_SERVICES=${G_SERVICES}")
endfunction()

# gureum_proto_library(NAME proto_echo PROTOS echo.proto)
# Generates message and gRPC code; generated code is compiled without -Werror.
function(gureum_proto_library)
  cmake_parse_arguments(G "" "NAME" "PROTOS;DEPS" ${ARGN})
  set(target gureum_${G_NAME})
  add_library(${target} STATIC ${G_PROTOS})
  target_link_libraries(${target} PUBLIC protobuf::libprotobuf PkgConfig::GRPCPP ${G_DEPS})
  target_compile_features(${target} PUBLIC cxx_std_17)
  set_target_properties(${target} PROPERTIES UNITY_BUILD ${GUREUM_UNITY_BUILD})
  set(out ${PROJECT_BINARY_DIR}/proto_gen)
  file(MAKE_DIRECTORY ${out})
  target_include_directories(${target} PUBLIC ${out})
  protobuf_generate(TARGET ${target} LANGUAGE cpp
    IMPORT_DIRS ${PROJECT_SOURCE_DIR}/proto PROTOC_OUT_DIR ${out})
  protobuf_generate(TARGET ${target} LANGUAGE grpc
    GENERATE_EXTENSIONS .grpc.pb.h .grpc.pb.cc
    PLUGIN "protoc-gen-grpc=${GUREUM_GRPC_CPP_PLUGIN}"
    IMPORT_DIRS ${PROJECT_SOURCE_DIR}/proto PROTOC_OUT_DIR ${out})
  add_library(gureum::${G_NAME} ALIAS ${target})
endfunction()
