// SPDX-License-Identifier: Apache-2.0
#include "delta/deletion_vector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "delta/log_files.h"

namespace sluice::delta {
namespace {

std::string TestData(const std::string& relative) {
  return std::string(SLUICE_TESTDATA_DIR) + "/" + relative;
}

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

// One add or remove action of a table's log that carries a deletion vector.
struct LoggedDv {
  std::string commit;  // commit file name
  std::string path;    // the data file
  bool is_add = true;
  DeletionVectorDescriptor descriptor;
};

// Every add and remove with a deletion vector in the JSON commits of `table_root`, in
// commit order. `replace` rewrites the commit text first (for templated paths).
std::vector<LoggedDv> LoggedDvs(const std::string& table_root,
                                const std::pair<std::string, std::string>& replace = {}) {
  std::vector<LoggedDv> found;
  auto listing = Fs().ListDirectory(LogDirectory(table_root));
  if (!listing.ok()) {
    ADD_FAILURE() << listing.status().ToString();
    return found;
  }
  for (const FileInfo& info : *listing) {
    auto log_file = ParseLogFileName(info.name);
    if (!log_file.has_value() || log_file->kind != LogFileKind::kCommit)
      continue;
    auto text = Fs().ReadFile(info.path);
    if (!text.ok()) {
      ADD_FAILURE() << text.status().ToString();
      return found;
    }
    if (!replace.first.empty()) {
      for (size_t at = text->find(replace.first); at != std::string::npos;
           at = text->find(replace.first, at + replace.second.size())) {
        text->replace(at, replace.first.size(), replace.second);
      }
    }
    auto actions = ParseActions(*text, info.name);
    if (!actions.ok()) {
      ADD_FAILURE() << actions.status().ToString();
      return found;
    }
    for (const Action& action : *actions) {
      if (const auto* add = std::get_if<AddFile>(&action); add && add->deletion_vector) {
        found.push_back({info.name, add->path, true, *add->deletion_vector});
      } else if (const auto* remove = std::get_if<RemoveFile>(&action);
                 remove && remove->deletion_vector) {
        found.push_back({info.name, remove->path, false, *remove->deletion_vector});
      }
    }
  }
  return found;
}

std::vector<uint64_t> Rows(const Result<DeletionVector>& vector) {
  if (!vector.ok()) {
    ADD_FAILURE() << vector.status().ToString();
    return {};
  }
  return vector->ToVector();
}

DeletionVector FromRows(const std::vector<uint64_t>& rows) {
  DeletionVector vector;
  for (const uint64_t row : rows)
    vector.Add(row);
  return vector;
}

// A fresh empty directory for one test.
std::string TempDir() {
  const std::string dir = ::testing::TempDir() + "/deletion_vector_test_" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  EXPECT_TRUE(Fs().DeleteRecursively(dir).ok());
  EXPECT_TRUE(Fs().CreateDirectories(dir).ok());
  return dir;
}

bool Mentions(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

TEST(DeletionVectorTest, Z85MatchesTheSpecTestVector) {
  // ZeroMQ RFC 32's test vector.
  const std::string bytes("\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B", 8);
  EXPECT_EQ(Z85Encode(bytes), "HelloWorld");
  auto decoded = Z85Decode("HelloWorld");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, bytes);
}

TEST(DeletionVectorTest, Z85RoundTripsAndPadsToWholeGroups) {
  std::mt19937 random(7);
  for (size_t size = 0; size <= 64; ++size) {
    std::string bytes;
    for (size_t i = 0; i < size; ++i)
      bytes.push_back(static_cast<char>(random() & 0xFF));
    const std::string text = Z85Encode(bytes);
    ASSERT_EQ(text.size(), (size + 3) / 4 * 5);
    auto decoded = Z85Decode(text);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    // Delta pads with zero bytes to whole 4-byte groups.
    EXPECT_EQ(*decoded, bytes + std::string(decoded->size() - size, '\0'));
  }
  EXPECT_EQ(Z85Encode(std::string(4, '\xFF')), "%nSc0");
  EXPECT_EQ(*Z85Decode("%nSc0"), std::string(4, '\xFF'));
}

TEST(DeletionVectorTest, Z85DecodesKernelRsTailPadding) {
  // A last group with k leading '#' holds 4 - k bytes (the z85 crate's padding).
  EXPECT_EQ(*Z85Decode("##093"), std::string("\x03\x00", 2));
  EXPECT_EQ(*Z85Decode("###30"), std::string("\xFF", 1));
  EXPECT_EQ(*Z85Decode("HelloWorld#0000"),
            std::string("\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B\0\0\0", 11));
  // The tail's value must fit its bytes, and only the last group may be padded.
  EXPECT_EQ(Z85Decode("###31").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Z85Decode("####0").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Z85Decode("##093Hello").status().code(), StatusCode::kInvalidArgument);
}

TEST(DeletionVectorTest, Z85RejectsMalformedText) {
  auto short_text = Z85Decode("Hello1");
  EXPECT_EQ(short_text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(short_text.status(), "multiple of 5")) << short_text.status().ToString();
  auto quote = Z85Decode("Hel\"o");
  EXPECT_EQ(quote.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(quote.status(), "position 3")) << quote.status().ToString();
  auto overflow = Z85Decode("%nSc1");  // 2^32
  EXPECT_EQ(overflow.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(overflow.status(), "exceeds 32 bits")) << overflow.status().ToString();
}

TEST(DeletionVectorTest, UuidPathFollowsTheProtocolExample) {
  // PROTOCOL.md "JSON Example 1": random prefix "ab", then the Z85 UUID.
  DeletionVectorDescriptor dv{"u", "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6, std::nullopt};
  auto path = DeletionVectorAbsolutePath(dv, "/tables/mytable");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, "/tables/mytable/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  EXPECT_EQ(*Z85EncodeUuid("d2c639aa-8816-431a-aaf6-d3fe2512ff61"), "^-aqEH.-t@S}K{vb[*k^");
  EXPECT_EQ(*Z85EncodeUuid("D2C639AA-8816-431A-AAF6-D3FE2512FF61"), "^-aqEH.-t@S}K{vb[*k^");
  dv.path_or_inline_dv = "^-aqEH.-t@S}K{vb[*k^";
  EXPECT_EQ(*DeletionVectorAbsolutePath(dv, "/t/"),
            "/t/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  EXPECT_EQ(Z85EncodeUuid("d2c639aa-8816-431a-aaf6-d3fe2512ff6").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Z85EncodeUuid("d2c639aa+8816-431a-aaf6-d3fe2512ff61").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Z85DecodeUuid("^-aqEH.-t@S}K{vb[*k").status().code(), StatusCode::kInvalidArgument);
}

TEST(DeletionVectorTest, AbsolutePathDecodesFileUris) {
  DeletionVectorDescriptor dv{"p", "", 1, 34, 1, std::nullopt};
  for (const std::string uri :
       {"file:/data/a%20b/dv%25x.bin", "file:///data/a%20b/dv%25x.bin",
        "file://localhost/data/a%20b/dv%25x.bin", "/data/a%20b/dv%25x.bin"}) {
    dv.path_or_inline_dv = uri;
    auto path = DeletionVectorAbsolutePath(dv, "/ignored");
    ASSERT_TRUE(path.ok()) << uri << ": " << path.status().ToString();
    EXPECT_EQ(*path, "/data/a b/dv%x.bin") << uri;
  }
}

TEST(DeletionVectorTest, AbsolutePathRejectsBadDescriptors) {
  DeletionVectorDescriptor dv{"p", "s3://bucket/deletion_vector_x.bin", 1, 34, 1, std::nullopt};
  EXPECT_EQ(DeletionVectorAbsolutePath(dv, "/t").status().code(), StatusCode::kNotImplemented);
  dv.path_or_inline_dv = "file://otherhost/x.bin";
  EXPECT_EQ(DeletionVectorAbsolutePath(dv, "/t").status().code(), StatusCode::kNotImplemented);
  dv.path_or_inline_dv = "relative/x.bin";
  EXPECT_EQ(DeletionVectorAbsolutePath(dv, "/t").status().code(), StatusCode::kCorruption);
  dv.path_or_inline_dv = "file:/x%2.bin";
  EXPECT_EQ(DeletionVectorAbsolutePath(dv, "/t").status().code(), StatusCode::kCorruption);
  dv = {"u", "short", 1, 34, 1, std::nullopt};
  EXPECT_EQ(DeletionVectorAbsolutePath(dv, "/t").status().code(), StatusCode::kCorruption);
  dv.path_or_inline_dv = "ab\"-aqEH.-t@S}K{vb[*k^";
  EXPECT_EQ(DeletionVectorAbsolutePath(dv, "/t").status().code(), StatusCode::kCorruption);
  dv = {"i", "HelloWorld", std::nullopt, 8, 1, std::nullopt};
  EXPECT_EQ(DeletionVectorAbsolutePath(dv, "/t").status().code(), StatusCode::kInvalidArgument);
  dv.storage_type = "x";
  auto unknown = DeletionVectorAbsolutePath(dv, "/t");
  EXPECT_EQ(unknown.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(unknown.status(), "storageType 'x'")) << unknown.status().ToString();
}

TEST(DeletionVectorTest, ReadsTheNativeFormat) {
  // Native: int32 count, then per bitmap its int32 size and the bitmap; keys are indexes.
  const std::string low = FromRows({1, 5}).Serialize().substr(16);
  const std::string empty("\x3a\x30\0\0\0\0\0\0", 8);
  const std::string high = FromRows({7}).Serialize().substr(16);
  std::string bytes("\xd0\xd3\x39\x64\x03\0\0\0", 8);
  for (const std::string* bitmap : {&low, &empty, &high}) {
    bytes.push_back(static_cast<char>(bitmap->size()));
    bytes.append(3, '\0');
    bytes += *bitmap;
  }
  auto vector = DeletionVector::Deserialize(bytes);
  EXPECT_EQ(Rows(vector), (std::vector<uint64_t>{1, 5, (uint64_t{2} << 32) + 7}));
  // A size that disagrees with the bitmap is corruption.
  std::string bad_size = bytes;
  bad_size[8] = static_cast<char>(low.size() + 1);
  EXPECT_EQ(DeletionVector::Deserialize(bad_size).status().code(), StatusCode::kCorruption);
}

TEST(DeletionVectorTest, TheProtocolsInlineExampleIsBigEndianNative) {
  // PROTOCOL.md "JSON Example 3" (rows 3, 4, 7, 11, 18, 29) encodes the native format
  // with big-endian header fields, which Delta's own little-endian readers reject too.
  const DeletionVectorDescriptor dv{
      "i", "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", std::nullopt, 40, 6, std::nullopt};
  auto as_is = LoadDeletionVector(dv, "/no/table", Fs());
  EXPECT_EQ(as_is.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(as_is.status(), "unknown magic number")) << as_is.status().ToString();
  // The same fields little endian read as the rows the protocol lists.
  std::string bytes = *Z85Decode(dv.path_or_inline_dv);
  for (size_t field = 0; field < 12; field += 4)
    std::reverse(bytes.begin() + static_cast<std::ptrdiff_t>(field),
                 bytes.begin() + static_cast<std::ptrdiff_t>(field + 4));
  EXPECT_EQ(Rows(DeletionVector::Deserialize(bytes)), (std::vector<uint64_t>{3, 4, 7, 11, 18, 29}));
}

TEST(DeletionVectorTest, LoadsDeltaRsSmallTable) {
  const std::string root = TestData("delta-rs/table-with-dv-small");
  auto dvs = LoggedDvs(root);
  ASSERT_EQ(dvs.size(), 1u);
  EXPECT_EQ(dvs[0].descriptor.storage_type, "u");
  auto path = DeletionVectorAbsolutePath(dvs[0].descriptor, root);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_TRUE(*Fs().Exists(*path)) << *path;
  auto vector = LoadDeletionVector(dvs[0].descriptor, root, Fs());
  EXPECT_EQ(Rows(vector), (std::vector<uint64_t>{0, 9}));
  ASSERT_TRUE(vector.ok());
  EXPECT_TRUE(vector->Contains(0));
  EXPECT_FALSE(vector->Contains(1));
  EXPECT_TRUE(vector->Contains(9));
  EXPECT_FALSE(vector->Contains(10));
  EXPECT_FALSE(vector->Contains(uint64_t{1} << 32));
  EXPECT_EQ(vector->Maximum(), 9u);
}

TEST(DeletionVectorTest, LoadsShortDvAtOffsetOne) {
  const std::string root = TestData("delta-kernel-rs/with-short-dv");
  auto dvs = LoggedDvs(root);
  ASSERT_EQ(dvs.size(), 1u);
  EXPECT_EQ(dvs[0].descriptor.offset, 1);
  EXPECT_EQ(dvs[0].descriptor.size_in_bytes, 38);
  EXPECT_EQ(Rows(LoadDeletionVector(dvs[0].descriptor, root, Fs())),
            (std::vector<uint64_t>{0, 1, 2}));
}

TEST(DeletionVectorTest, LoadsInlineDvsIncludingKernelRsPadding) {
  const std::string root = TestData("delta-kernel-rs/cdf-table-with-dv");
  std::vector<std::vector<uint64_t>> inline_adds;
  for (const LoggedDv& dv : LoggedDvs(root)) {
    auto vector = LoadDeletionVector(dv.descriptor, root, Fs());
    ASSERT_TRUE(vector.ok()) << dv.commit << ": " << vector.status().ToString();
    if (dv.is_add && dv.descriptor.storage_type == "i")
      inline_adds.push_back(vector->ToVector());
  }
  // Versions 3, 4, 5; the last has sizeInBytes 34 and a '#'-padded tail.
  EXPECT_EQ(inline_adds, (std::vector<std::vector<uint64_t>>{{0, 1, 4, 5}, {0, 5}, {3}}));
}

TEST(DeletionVectorTest, LoadsEveryDvOfTheTestTables) {
  const std::vector<std::string> tables = {
      "delta-golden/dv-partitioned-with-checkpoint", "delta-golden/dv-with-columnmapping",
      "delta-golden/log-replay-dv-key-cases",        "delta-kernel-java/basic-dv-no-checkpoint",
      "delta-kernel-java/basic-dv-with-checkpoint",  "delta-kernel-rs/cdf-table-with-cdc-and-dvs",
      "delta-kernel-rs/compacted-log-files-table",   "delta-kernel-rs/table-with-dv-small",
      "delta-rs/cdf-table-with-cdc-and-dvs",         "delta-rs/table_with_deletion_logs",
  };
  size_t loaded = 0;
  for (const std::string& table : tables) {
    const std::string root = TestData(table);
    const auto dvs = LoggedDvs(root);
    EXPECT_FALSE(dvs.empty()) << table;
    for (const LoggedDv& dv : dvs) {
      SCOPED_TRACE(table + " " + dv.commit + " " + dv.descriptor.UniqueId());
      auto vector = LoadDeletionVector(dv.descriptor, root, Fs());
      ASSERT_TRUE(vector.ok()) << vector.status().ToString();
      EXPECT_EQ(vector->cardinality(), dv.descriptor.cardinality);
      // Serialize writes back the same bytes the writer produced.
      auto content = Fs().ReadFile(*DeletionVectorAbsolutePath(dv.descriptor, root));
      ASSERT_TRUE(content.ok());
      EXPECT_EQ(vector->Serialize(),
                content->substr(static_cast<size_t>(*dv.descriptor.offset) + 4,
                                static_cast<size_t>(dv.descriptor.size_in_bytes)));
      // The scan's view agrees with the row list.
      std::vector<uint8_t> flags(static_cast<size_t>(*vector->Maximum() + 1));
      EXPECT_EQ(vector->MarkDeleted(0, static_cast<int64_t>(flags.size()), flags.data()),
                dv.descriptor.cardinality);
      for (const uint64_t row : vector->ToVector())
        EXPECT_EQ(flags[row], 1);
      ++loaded;
    }
  }
  EXPECT_EQ(loaded, 193u);  // every add and remove with a DV in those commits
}

TEST(DeletionVectorTest, LogReplayKeyCasesGrowOneDvPerDelete) {
  // Golden table: ids 0, 7 and 14 deleted by three DELETEs, each a new DV of the file.
  const std::string root = TestData("delta-golden/log-replay-dv-key-cases");
  std::vector<std::vector<uint64_t>> adds;
  for (const LoggedDv& dv : LoggedDvs(root)) {
    if (dv.is_add)
      adds.push_back(Rows(LoadDeletionVector(dv.descriptor, root, Fs())));
  }
  EXPECT_EQ(adds, (std::vector<std::vector<uint64_t>>{{0}, {0, 7}, {0, 7, 14}}));
}

TEST(DeletionVectorTest, ParsesDvsPackedInSharedSparkFiles) {
  // Delta Spark's test tables name their DV files "test%dv%prefix-deletion_vector_<uuid>.bin"
  // (a test-only writer setting), so they are read here through ParseDeletionVectorFile.
  const std::string root = TestData("delta-spark/partitioned-table-with-dv-large");
  std::vector<std::pair<int32_t, std::vector<uint64_t>>> first_commit;
  for (const LoggedDv& dv : LoggedDvs(root)) {
    SCOPED_TRACE(dv.commit + " " + dv.descriptor.UniqueId());
    auto uuid = Z85DecodeUuid(dv.descriptor.path_or_inline_dv);
    ASSERT_TRUE(uuid.ok()) << uuid.status().ToString();
    const std::string file = root + "/test%dv%prefix-deletion_vector_" + *uuid + ".bin";
    auto content = Fs().ReadFile(file);
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    auto vector = ParseDeletionVectorFile(*content, dv.descriptor, file);
    ASSERT_TRUE(vector.ok()) << vector.status().ToString();
    if (dv.is_add && dv.commit == CommitFileName(1))
      first_commit.emplace_back(*dv.descriptor.offset, vector->ToVector());
  }
  std::sort(first_commit.begin(), first_commit.end());
  const std::vector<std::pair<int32_t, std::vector<uint64_t>>> expected = {
      {1, {30}}, {43, {22}}, {85, {150}}, {127, {100}}, {169, {75}}, {211, {0, 18}}};
  EXPECT_EQ(first_commit, expected);
}

TEST(DeletionVectorTest, LoadsAbsolutePathDvWithEscapedCharacters) {
  // The log holds "file:{{FOLDER_WITH_SPECIAL_CHAR}}/test%25dv%25prefix-deletion_vector_..."
  // for a folder named "folder&with%special char"; substitute its escaped absolute path.
  const std::string root = TestData("delta-spark/table-with-dv-special-char");
  std::string folder = std::filesystem::weakly_canonical(std::filesystem::absolute(root)).string() +
                       "/folder&with%special char";
  std::string escaped;
  for (const char c : folder) {
    if (c == '%')
      escaped += "%25";
    else if (c == ' ')
      escaped += "%20";
    else
      escaped += c;
  }
  for (const std::string& uri_folder : {escaped, "//" + escaped}) {
    auto dvs = LoggedDvs(root, {"{{FOLDER_WITH_SPECIAL_CHAR}}", uri_folder});
    ASSERT_EQ(dvs.size(), 1u);
    EXPECT_EQ(dvs[0].descriptor.storage_type, "p");
    auto path = DeletionVectorAbsolutePath(dvs[0].descriptor, "/elsewhere");
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    EXPECT_EQ(*path,
              folder + "/test%dv%prefix-deletion_vector_67bc892e-2979-4760-a78c-856aba806564.bin");
    auto vector = LoadDeletionVector(dvs[0].descriptor, "/elsewhere", Fs());
    ASSERT_TRUE(vector.ok()) << vector.status().ToString();
    EXPECT_EQ(vector->cardinality(), 5);
  }
}

// A DV file holding `rows` at offset 1, and its descriptor.
std::pair<std::string, DeletionVectorDescriptor> DvFile(const std::vector<uint64_t>& rows) {
  const std::string serialized = FromRows(rows).Serialize();
  std::string file;
  const int32_t offset = AppendToDeletionVectorFile(serialized, &file);
  DeletionVectorDescriptor dv{"u",
                              "^-aqEH.-t@S}K{vb[*k^",
                              offset,
                              static_cast<int32_t>(serialized.size()),
                              static_cast<int64_t>(rows.size()),
                              std::nullopt};
  return {file, dv};
}

TEST(DeletionVectorTest, RejectsCorruptedChecksum) {
  auto [file, dv] = DvFile({3, 4, 7});
  ASSERT_TRUE(ParseDeletionVectorFile(file, dv, "dv.bin").ok());
  std::string flipped_data = file;
  flipped_data[static_cast<size_t>(*dv.offset) + 4 + 20] ^= 0x01;
  auto bad_data = ParseDeletionVectorFile(flipped_data, dv, "dv.bin");
  EXPECT_EQ(bad_data.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(bad_data.status(), "checksum mismatch")) << bad_data.status().ToString();
  EXPECT_TRUE(Mentions(bad_data.status(), "offset 1 of deletion vector file dv.bin"))
      << bad_data.status().ToString();
  std::string flipped_crc = file;
  flipped_crc.back() ^= 0x80;
  EXPECT_TRUE(
      Mentions(ParseDeletionVectorFile(flipped_crc, dv, "dv.bin").status(), "checksum mismatch"));
}

TEST(DeletionVectorTest, CrcIsJavasCrc32) {
  // The CRC of "123456789" is CRC-32/IEEE's check value, 0xCBF43926.
  std::string file;
  AppendToDeletionVectorFile("123456789", &file);
  EXPECT_EQ(file.substr(file.size() - 4), std::string("\xCB\xF4\x39\x26", 4));
}

TEST(DeletionVectorTest, RejectsWrongVersionMagicAndSize) {
  auto [file, dv] = DvFile({3, 4, 7});
  std::string version2 = file;
  version2[0] = 2;
  auto bad_version = ParseDeletionVectorFile(version2, dv, "dv.bin");
  EXPECT_EQ(bad_version.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(bad_version.status(), "format version 2"))
      << bad_version.status().ToString();

  // A bitmap with a wrong magic number but a valid checksum.
  std::string serialized = FromRows({3, 4, 7}).Serialize();
  serialized[0] = 0x00;
  std::string bad_magic_file;
  AppendToDeletionVectorFile(serialized, &bad_magic_file);
  auto bad_magic = ParseDeletionVectorFile(bad_magic_file, dv, "dv.bin");
  EXPECT_EQ(bad_magic.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(bad_magic.status(), "magic number")) << bad_magic.status().ToString();

  DeletionVectorDescriptor wrong_size = dv;
  wrong_size.size_in_bytes += 1;
  auto size_mismatch = ParseDeletionVectorFile(file, wrong_size, "dv.bin");
  EXPECT_EQ(size_mismatch.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(size_mismatch.status(), "sizeInBytes")) << size_mismatch.status().ToString();

  DeletionVectorDescriptor past_end = dv;
  past_end.offset = static_cast<int32_t>(file.size());
  EXPECT_EQ(ParseDeletionVectorFile(file, past_end, "dv.bin").status().code(),
            StatusCode::kCorruption);
  DeletionVectorDescriptor no_offset = dv;
  no_offset.offset.reset();
  EXPECT_EQ(ParseDeletionVectorFile(file, no_offset, "dv.bin").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ParseDeletionVectorFile("", dv, "dv.bin").status().code(), StatusCode::kCorruption);
}

TEST(DeletionVectorTest, RejectsTruncatedFiles) {
  auto [file, dv] = DvFile({3, 4, 7, 100000, uint64_t{1} << 33});
  for (size_t size = 0; size < file.size(); ++size) {
    auto truncated = ParseDeletionVectorFile(file.substr(0, size), dv, "dv.bin");
    EXPECT_EQ(truncated.status().code(), StatusCode::kCorruption) << size;
  }
  EXPECT_TRUE(ParseDeletionVectorFile(file, dv, "dv.bin").ok());
}

TEST(DeletionVectorTest, RejectsCardinalityMismatch) {
  auto [file, dv] = DvFile({3, 4, 7});
  dv.cardinality = 4;
  auto mismatch = ParseDeletionVectorFile(file, dv, "dv.bin");
  EXPECT_EQ(mismatch.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(mismatch.status(), "holds 3 rows but its descriptor says cardinality 4"))
      << mismatch.status().ToString();
  const DeletionVectorDescriptor inline_dv{
      "i", Z85Encode(FromRows({1, 2}).Serialize()), std::nullopt, 36, 3, std::nullopt};
  EXPECT_EQ(LoadDeletionVector(inline_dv, "/t", Fs()).status().code(), StatusCode::kCorruption);
}

TEST(DeletionVectorTest, RejectsMalformedInlineText) {
  DeletionVectorDescriptor dv{"i", "HelloWorl\"", std::nullopt, 8, 1, std::nullopt};
  auto bad_char = LoadDeletionVector(dv, "/t", Fs());
  EXPECT_EQ(bad_char.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Mentions(bad_char.status(), "inline deletion vector"))
      << bad_char.status().ToString();
  dv.path_or_inline_dv = Z85Encode(FromRows({1, 2}).Serialize());
  dv.size_in_bytes = 30;  // the text holds 36 bytes
  EXPECT_EQ(LoadDeletionVector(dv, "/t", Fs()).status().code(), StatusCode::kCorruption);
}

TEST(DeletionVectorTest, MissingFileKeepsTheFileSystemError) {
  const DeletionVectorDescriptor dv{"u", "^-aqEH.-t@S}K{vb[*k^", 1, 34, 1, std::nullopt};
  auto missing = LoadDeletionVector(dv, TempDir(), Fs());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().code(), StatusCode::kOk);
  EXPECT_TRUE(
      Mentions(missing.status(), "deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"))
      << missing.status().ToString();
}

TEST(DeletionVectorTest, WritesAndLoadsSharedFileUnderRandomPrefix) {
  const std::string root = TempDir();
  const std::string uuid = "0661cff2-4d32-4f91-ba26-c77e4498683c";
  DeletionVector first = FromRows({0, 5, 6});
  DeletionVector second;
  second.AddRange(100, 5000);
  second.Add((uint64_t{1} << 32) + 1);
  second.Optimize();
  std::string file;
  const int32_t first_offset = AppendToDeletionVectorFile(first.Serialize(), &file);
  const int32_t second_offset = AppendToDeletionVectorFile(second.Serialize(), &file);
  EXPECT_EQ(first_offset, 1);
  ASSERT_TRUE(Fs().CreateDirectories(root + "/x7").ok());
  ASSERT_TRUE(Fs().WriteFileAtomic(root + "/x7/deletion_vector_" + uuid + ".bin", file).ok());
  const std::string path_or_inline = "x7" + *Z85EncodeUuid(uuid);
  const DeletionVectorDescriptor first_dv{
      "u", path_or_inline, first_offset, static_cast<int32_t>(first.Serialize().size()),
      3,   std::nullopt};
  const DeletionVectorDescriptor second_dv{"u",
                                           path_or_inline,
                                           second_offset,
                                           static_cast<int32_t>(second.Serialize().size()),
                                           second.cardinality(),
                                           std::nullopt};
  auto loaded_first = LoadDeletionVector(first_dv, root, Fs());
  ASSERT_TRUE(loaded_first.ok()) << loaded_first.status().ToString();
  EXPECT_TRUE(*loaded_first == first);
  auto loaded_second = LoadDeletionVector(second_dv, root, Fs());
  ASSERT_TRUE(loaded_second.ok()) << loaded_second.status().ToString();
  EXPECT_TRUE(*loaded_second == second);
  EXPECT_EQ(loaded_second->cardinality(), 4901);
}

TEST(DeletionVectorTest, DeserializeRejectsMalformedBitmaps) {
  DeletionVector vector = FromRows({1, 2, 70000, (uint64_t{1} << 32) + 5, uint64_t{3} << 32});
  const std::string bytes = vector.Serialize();
  auto round_trip = DeletionVector::Deserialize(bytes);
  ASSERT_TRUE(round_trip.ok()) << round_trip.status().ToString();
  EXPECT_TRUE(*round_trip == vector);
  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_EQ(DeletionVector::Deserialize(bytes.substr(0, size)).status().code(),
              StatusCode::kCorruption)
        << size;
  }
  auto trailing = DeletionVector::Deserialize(bytes + "x");
  EXPECT_TRUE(Mentions(trailing.status(), "1 bytes after its last bucket"))
      << trailing.status().ToString();
  // Bucket count larger than the bytes can hold.
  std::string many = bytes;
  many[11] = 0x7F;
  EXPECT_EQ(DeletionVector::Deserialize(many).status().code(), StatusCode::kCorruption);
  // One bucket with a key whose top bit is set; keys out of order.
  DeletionVector high = FromRows({uint64_t{0x7FFFFFFF} << 32});
  std::string high_bytes = high.Serialize();
  high_bytes[15] = static_cast<char>(0x80);
  auto top_bit = DeletionVector::Deserialize(high_bytes);
  EXPECT_TRUE(Mentions(top_bit.status(), "top bit")) << top_bit.status().ToString();
  const std::string one = FromRows({uint64_t{2} << 32}).Serialize();
  const std::string other = FromRows({uint64_t{1} << 32}).Serialize();
  std::string unordered = one.substr(0, 12) + one.substr(12) + other.substr(12);
  unordered[4] = 2;
  auto out_of_order = DeletionVector::Deserialize(unordered);
  EXPECT_TRUE(Mentions(out_of_order.status(), "not ascending")) << out_of_order.status().ToString();
  // Random damage never crashes: it is rejected or yields some vector.
  std::mt19937 random(11);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string damaged = bytes;
    damaged[random() % damaged.size()] = static_cast<char>(random() & 0xFF);
    auto result = DeletionVector::Deserialize(damaged);
    if (result.ok()) {
      EXPECT_EQ(static_cast<int64_t>(result->ToVector().size()), result->cardinality());
    }
  }
}

TEST(DeletionVectorTest, MarkDeletedAndCountMatchTheRowSetInBatches) {
  std::set<uint64_t> model;
  DeletionVector vector;
  std::mt19937_64 random(3);
  auto add = [&](uint64_t row) {
    model.insert(row);
    vector.Add(row);
  };
  auto add_range = [&](uint64_t first, uint64_t end) {
    for (uint64_t row = first; row < end; ++row)
      model.insert(row);
    vector.AddRange(first, end);
  };
  for (int i = 0; i < 3000; ++i)  // sparse: array containers
    add(random() % 200000);
  for (int i = 0; i < 20000; ++i)  // dense: a bitmap container
    add(300000 + random() % 65536);
  add_range(400000, 470000);  // runs, across container boundaries
  const uint64_t boundary = uint64_t{1} << 32;
  add_range(boundary - 3000, boundary + 3000);  // across a bucket boundary
  for (int i = 0; i < 500; ++i)
    add((uint64_t{5} << 32) + random() % 100000);
  vector.Optimize();
  ASSERT_EQ(vector.cardinality(), static_cast<int64_t>(model.size()));
  ASSERT_EQ(vector.ToVector(), std::vector<uint64_t>(model.begin(), model.end()));
  EXPECT_EQ(vector.Maximum(), *model.rbegin());

  const int64_t kBatch = 4096;
  std::vector<uint8_t> flags(kBatch);
  const std::vector<uint64_t> starts = {0,
                                        1,
                                        4095,
                                        65530,
                                        299999,
                                        399000,
                                        469000,
                                        boundary - 5000,
                                        boundary - 2048,
                                        boundary + 1000,
                                        (uint64_t{5} << 32) - 2000,
                                        (uint64_t{5} << 32) + 50000,
                                        uint64_t{7} << 32};
  for (const uint64_t start : starts) {
    for (const int64_t count : {kBatch, int64_t{1}, int64_t{77}}) {
      const int64_t marked = vector.MarkDeleted(start, count, flags.data());
      int64_t expected = 0;
      for (int64_t i = 0; i < count; ++i) {
        const bool deleted = model.count(start + static_cast<uint64_t>(i)) > 0;
        expected += deleted ? 1 : 0;
        ASSERT_EQ(flags[static_cast<size_t>(i)], deleted ? 1 : 0) << start << "+" << i;
        ASSERT_EQ(vector.Contains(start + static_cast<uint64_t>(i)), deleted);
      }
      EXPECT_EQ(marked, expected) << start;
      EXPECT_EQ(vector.CountInRange(start, count), expected) << start;
    }
  }
  EXPECT_EQ(vector.MarkDeleted(0, 0, flags.data()), 0);
  EXPECT_EQ(DeletionVector().MarkDeleted(0, kBatch, flags.data()), 0);
  EXPECT_EQ(flags[0], 0);

  // A whole-file sweep in batches sees every deleted row exactly once.
  int64_t total = 0;
  for (uint64_t start = 0; start < 500000; start += kBatch)
    total += vector.MarkDeleted(start, kBatch, flags.data());
  EXPECT_EQ(total,
            static_cast<int64_t>(std::distance(model.begin(), model.lower_bound(500000 + kBatch))));
  auto round_trip = DeletionVector::Deserialize(vector.Serialize());
  ASSERT_TRUE(round_trip.ok()) << round_trip.status().ToString();
  EXPECT_TRUE(*round_trip == vector);
}

TEST(DeletionVectorTest, CopiesAreDeepAndMovesLeaveEmpty) {
  DeletionVector original = FromRows({1, 2, 3});
  DeletionVector copy = original;
  copy.Add(4);
  EXPECT_EQ(original.cardinality(), 3);
  EXPECT_EQ(copy.cardinality(), 4);
  EXPECT_FALSE(original == copy);
  copy = original;
  EXPECT_TRUE(original == copy);
  DeletionVector moved = std::move(copy);
  EXPECT_EQ(moved.cardinality(), 3);
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_FALSE(copy.Contains(1));
  EXPECT_EQ(copy.Serialize(), DeletionVector().Serialize());
  EXPECT_FALSE(DeletionVector().Maximum().has_value());
  // Adding a row twice counts it once.
  moved.Add(2);
  moved.AddRange(2, 5);
  EXPECT_EQ(moved.cardinality(), 4);
  EXPECT_EQ(moved.ToVector(), (std::vector<uint64_t>{1, 2, 3, 4}));
}

}  // namespace
}  // namespace sluice::delta
