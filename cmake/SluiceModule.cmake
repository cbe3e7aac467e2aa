# SPDX-License-Identifier: Apache-2.0
#
# sluice_add_module(<name>
#   SRCS        <sources>
#   DEPS        <sluice modules this one may include and link, e.g. common types>
#   THIRD_PARTY <imported targets this module owns, e.g. simdjson::simdjson>
#   TESTS       <gtest sources under tests/>)
#
# Creates the static library sluice_<name> (with '/' in <name> turned into '_'), links
# it against the declared modules only, and, when tests are on, one gtest executable
# sluice_<name>_test whose cases are registered with CTest. scripts/check_layering reads
# the same DEPS list from this call, so what a module may include and what it links are
# one declaration.
function(sluice_add_module name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;THIRD_PARTY;TESTS" ${ARGN})
  string(REPLACE "/" "_" target_suffix "${name}")
  set(target sluice_${target_suffix})
  add_library(${target} STATIC ${ARG_SRCS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${target} PRIVATE ${SLUICE_WARNING_FLAGS})
  foreach(dep IN LISTS ARG_DEPS)
    string(REPLACE "/" "_" dep_suffix "${dep}")
    target_link_libraries(${target} PUBLIC sluice_${dep_suffix})
  endforeach()
  target_link_libraries(${target} PUBLIC ${ARG_THIRD_PARTY})
  if(SLUICE_BUILD_TESTS AND ARG_TESTS)
    add_executable(${target}_test ${ARG_TESTS})
    target_compile_options(${target}_test PRIVATE ${SLUICE_WARNING_FLAGS})
    target_compile_definitions(${target}_test PRIVATE
      SLUICE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      SLUICE_TESTDATA_DIR="${PROJECT_SOURCE_DIR}/../shared/testdata")
    target_link_libraries(${target}_test PRIVATE ${target} GTest::gtest GTest::gmock
                          GTest::gtest_main)
    gtest_discover_tests(${target}_test
      PROPERTIES LABELS "unit;${target_suffix}"
      DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

# sluice_add_program(<name> SRCS <sources> DEPS <sluice modules> THIRD_PARTY <targets>)
#
# Creates the executable <name> linked against the declared modules; scripts/check_layering
# reads DEPS and THIRD_PARTY from this call as it does for modules.
function(sluice_add_program name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;THIRD_PARTY" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${SLUICE_WARNING_FLAGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  foreach(dep IN LISTS ARG_DEPS)
    string(REPLACE "/" "_" dep_suffix "${dep}")
    target_link_libraries(${name} PRIVATE sluice_${dep_suffix})
  endforeach()
  target_link_libraries(${name} PRIVATE ${ARG_THIRD_PARTY})
endfunction()
