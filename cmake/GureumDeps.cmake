# Every third-party dependency, found once. All come from Debian 12 packages
# (deploy/packages.txt).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Protobuf REQUIRED)
find_package(absl REQUIRED)
find_package(rabbitmq-c REQUIRED)
find_package(prometheus-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Catch2 REQUIRED)

# Debian's gRPC, libpqxx, inih and cpp-httplib ship pkg-config files.
pkg_check_modules(GRPCPP REQUIRED IMPORTED_TARGET grpc++)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

find_program(GUREUM_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

if(TARGET Catch2::Catch2)
  include(Catch)
endif()
