// Listing for object tables: URIs and mounts, both wildcard styles, sizes and times against the
// filesystem, the shell style against io::expand_glob (an independent, serial implementation), and
// the same answer at 1 and 4 workers.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "objects/test_images.hpp"
#include "visiondb/common/error.hpp"
#include "visiondb/common/parallel.hpp"
#include "visiondb/io/detail/md5.hpp"
#include "visiondb/io/glob.hpp"
#include "visiondb/io/object_listing.hpp"

namespace {

using namespace visiondb;
using visiondb::test::ScratchDir;

std::vector<std::string> uris_of(const std::vector<io::ListedObject>& objects) {
  std::vector<std::string> out;
  for (const auto& o : objects) out.push_back(o.uri);
  return out;
}

// A small tree: a/x1.jpg a/x2.png a/b/y1.jpg a/b/c/z1.jpg a/b/c/z22.jpg top.jpg notes.txt
void make_tree(const ScratchDir& dir) {
  for (const char* f : {"a/x1.jpg", "a/x2.png", "a/b/y1.jpg", "a/b/c/z1.jpg", "a/b/c/z22.jpg", "top.jpg", "notes.txt"})
    dir.write(f, std::string(f));
}

TEST(Uris, SplitsBucketFileAndPlainUris) {
  auto p = io::split_uri("gs://bucket/a/*.jpg");
  EXPECT_EQ(p.scheme, "gs");
  EXPECT_EQ(p.root, "gs://bucket");
  EXPECT_EQ(p.path, "/a/*.jpg");
  p = io::split_uri("file:///data/x.jpg");
  EXPECT_EQ(p.root, "file://");
  EXPECT_EQ(p.path, "/data/x.jpg");
  p = io::split_uri("file://localhost/data/x.jpg");
  EXPECT_EQ(p.path, "/data/x.jpg");
  p = io::split_uri("images/x.jpg");
  EXPECT_EQ(p.root, "");
  EXPECT_EQ(p.path, "images/x.jpg");
  EXPECT_THROW(io::split_uri("gs:///x"), InvalidArgument);
}

TEST(Mounts, ParsesSpecsAndResolves) {
  auto [bucket, dir] = io::parse_mount_spec("gs://yoga=/data/yoga=1");
  EXPECT_EQ(bucket, "gs://yoga");
  EXPECT_EQ(dir, "/data/yoga=1");
  EXPECT_EQ(io::parse_mount_spec("GS://yoga/=").second, "");
  EXPECT_THROW(io::parse_mount_spec("/data/yoga"), InvalidArgument);
  EXPECT_THROW(io::parse_mount_spec("gs://yoga/sub=/x"), InvalidArgument);
  EXPECT_THROW(io::parse_mount_spec("file:///x=/y"), InvalidArgument);

  io::MountTable m;
  m.mount("gs://yoga/", "/data/yoga/");
  EXPECT_EQ(m.folder_of("gs://yoga"), "/data/yoga");
  EXPECT_EQ(m.local_root(io::split_uri("gs://yoga/x.jpg"), "gs://yoga/x.jpg"), "/data/yoga");
  EXPECT_EQ(m.local_root(io::split_uri("/plain/x.jpg"), "/plain/x.jpg"), "");
  try {
    m.local_root(io::split_uri("gs://other/x.jpg"), "gs://other/x.jpg");
    FAIL() << "an unmounted bucket must be an error";
  } catch (const IoError& e) {
    EXPECT_EQ(e.path(), "gs://other/x.jpg");
    EXPECT_NE(std::string(e.what()).find("SET mount = 'gs://other=/path/to/folder'"), std::string::npos) << e.what();
  }
  m.mount("gs://yoga", "relative/dir");
  EXPECT_EQ(m.folder_of("gs://yoga").front(), '/') << "a relative folder is made absolute";
  EXPECT_TRUE(m.unmount("gs://yoga"));
  EXPECT_FALSE(m.unmount("gs://yoga"));
  EXPECT_TRUE(m.list().empty());
}

TEST(BucketMatch, StarCrossesFoldersAndDoubleStarSlashIsOptional) {
  EXPECT_TRUE(io::bucket_match("*.jpg", "a/b/c.jpg"));
  EXPECT_TRUE(io::bucket_match("a*c.jpg", "a/b/c.jpg"));
  EXPECT_FALSE(io::bucket_match("*.jpg", "a/b/c.png"));
  EXPECT_TRUE(io::bucket_match("**/x?.jpg", "x1.jpg"));
  EXPECT_TRUE(io::bucket_match("**/x?.jpg", "a/b/x1.jpg"));
  EXPECT_FALSE(io::bucket_match("**/x?.jpg", "a/b/x12.jpg"));
  EXPECT_TRUE(io::bucket_match("a/**/c/*.jpg", "a/c/1.jpg"));
  EXPECT_TRUE(io::bucket_match("a/**/c/*.jpg", "a/b/b/c/1.jpg"));
  EXPECT_FALSE(io::bucket_match("a/**/c/*.jpg", "ab/c/1.jpg"));
}

TEST(Listing, ShellStyleMatchesExpandGlob) {
  ScratchDir dir;
  make_tree(dir);
  io::MountTable mounts;
  for (const std::string pat : {"*.jpg", "a/*", "a/*/*.jpg", "a/**/*.jpg", "**/z?.jpg", "a/**", "**", "a/b/c/z1.jpg", "*/x?.*"}) {
    const std::string full = dir.path() + "/" + pat;
    auto listed = io::list_objects({full}, mounts);
    auto expected = io::expand_glob(full);
    std::vector<std::string> got;
    for (const auto& o : listed) got.push_back(o.path);
    // expand_glob's '**' at the end matches nothing; ours lists every file below.
    if (pat == "a/**" || pat == "**") {
      std::vector<std::string> all;
      for (const auto& e : std::filesystem::recursive_directory_iterator(pat == "**" ? dir.path() : dir.path("a")))
        if (e.is_regular_file()) all.push_back(e.path().string());
      std::sort(all.begin(), all.end());
      expected = all;
    }
    EXPECT_EQ(got, expected) << pat;
    EXPECT_EQ(uris_of(listed), got) << "plain paths are their own URIs";
  }
}

TEST(Listing, BucketStyleThroughAMount) {
  ScratchDir dir;
  make_tree(dir);
  io::MountTable mounts;
  mounts.mount("gs://bkt", dir.path());
  EXPECT_EQ(uris_of(io::list_objects({"gs://bkt/*.jpg"}, mounts)),
            (std::vector<std::string>{"gs://bkt/a/b/c/z1.jpg", "gs://bkt/a/b/c/z22.jpg", "gs://bkt/a/b/y1.jpg",
                                      "gs://bkt/a/x1.jpg", "gs://bkt/top.jpg"}));
  EXPECT_EQ(uris_of(io::list_objects({"gs://bkt/a/b*"}, mounts)),
            (std::vector<std::string>{"gs://bkt/a/b/c/z1.jpg", "gs://bkt/a/b/c/z22.jpg", "gs://bkt/a/b/y1.jpg"}));
  EXPECT_EQ(uris_of(io::list_objects({"gs://bkt/**/z?.jpg"}, mounts)), (std::vector<std::string>{"gs://bkt/a/b/c/z1.jpg"}));
  EXPECT_EQ(uris_of(io::list_objects({"gs://bkt/notes.txt"}, mounts)), (std::vector<std::string>{"gs://bkt/notes.txt"}));
  auto objs = io::list_objects({"gs://bkt/top.jpg"}, mounts);
  ASSERT_EQ(objs.size(), 1u);
  EXPECT_EQ(objs[0].path, dir.path("top.jpg"));
  // file:// URIs keep their scheme.
  EXPECT_EQ(uris_of(io::list_objects({"file://" + dir.path() + "/*.jpg"}, mounts)),
            (std::vector<std::string>{"file://" + dir.path() + "/top.jpg"}));
}

TEST(Listing, SeveralUrisListAFileOnce) {
  ScratchDir dir;
  make_tree(dir);
  io::MountTable mounts;
  mounts.mount("gs://bkt", dir.path());
  auto got = uris_of(io::list_objects({"gs://bkt/a/*.png", dir.path() + "/a/*", "gs://bkt/top.jpg"}, mounts));
  EXPECT_EQ(got, (std::vector<std::string>{"gs://bkt/a/x2.png", dir.path() + "/a/x1.jpg", "gs://bkt/top.jpg"}));
}

TEST(Listing, SizesAndTimesAreTheFilesystems) {
  ScratchDir dir;
  for (int i = 0; i < 40; ++i) dir.write("f" + std::to_string(i) + ".bin", std::string(size_t(i) * 37, 'x'));
  auto objs = io::list_objects({dir.path() + "/*.bin"}, io::MountTable());
  ASSERT_EQ(objs.size(), 40u);
  for (const auto& o : objs) {
    struct stat st;
    ASSERT_EQ(::stat(o.path.c_str(), &st), 0);
    EXPECT_EQ(o.size, static_cast<int64_t>(std::filesystem::file_size(o.path)));
    EXPECT_EQ(o.modified_us, int64_t(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000);
  }
}

TEST(Listing, MissingFoldersAndLiteralsGiveNoRowsButCreateChecksThem) {
  ScratchDir dir;
  make_tree(dir);
  io::MountTable mounts;
  EXPECT_TRUE(io::list_objects({dir.path() + "/nope/*.jpg", dir.path() + "/nope.jpg", dir.path() + "/a"}, mounts).empty());
  EXPECT_NO_THROW(io::check_object_uris({dir.path() + "/a/*.jpg", dir.path() + "/top.jpg"}, mounts));
  EXPECT_THROW(io::check_object_uris({dir.path() + "/nope/*.jpg"}, mounts), IoError);
  EXPECT_THROW(io::check_object_uris({dir.path() + "/nope.jpg"}, mounts), IoError);
  EXPECT_THROW(io::check_object_uris({dir.path() + "/a"}, mounts), IoError);
  EXPECT_THROW(io::check_object_uris({""}, mounts), InvalidArgument);
  EXPECT_THROW(io::check_object_uris({}, mounts), InvalidArgument);
  EXPECT_THROW(io::check_object_uris({"gs://unmounted/*.jpg"}, mounts), IoError);
}

TEST(Listing, SameAnswerAtOneAndFourWorkersOverManyFolders) {
  ScratchDir dir;
  for (int d = 0; d < 30; ++d)
    for (int f = 0; f < 70; ++f) dir.write("d" + std::to_string(d) + "/s" + std::to_string(f % 3) + "/f" + std::to_string(f) + ".jpg", "x");
  io::MountTable mounts;
  mounts.mount("gs://many", dir.path());
  std::vector<std::vector<std::string>> answers;
  for (int threads : {1, 4}) {
    TaskArena arena(threads);
    io::ListingCounters counters;
    auto objs = arena.execute([&] { return io::list_objects({"gs://many/**/*.jpg"}, mounts, &counters); });
    EXPECT_EQ(objs.size(), 30u * 70u);
    EXPECT_EQ(counters.directories, 1u + 30u + 30u * 3u);
    EXPECT_TRUE(std::is_sorted(objs.begin(), objs.end(), [](const auto& a, const auto& b) { return a.uri < b.uri; }));
    answers.push_back(uris_of(objs));
  }
  EXPECT_EQ(answers[0], answers[1]);
}

TEST(Listing, SymlinksToFilesAreListedLinksToFoldersNotFollowed) {
  ScratchDir dir;
  dir.write("real/a.jpg", "a");
  std::filesystem::create_directory_symlink(dir.path("real"), dir.path("real/loop"));
  std::filesystem::create_symlink(dir.path("real/a.jpg"), dir.path("real/b.jpg"));
  auto got = uris_of(io::list_objects({dir.path() + "/**/*.jpg"}, io::MountTable()));
  EXPECT_EQ(got, (std::vector<std::string>{dir.path("real/a.jpg"), dir.path("real/b.jpg")}));
}

TEST(Md5, Rfc1321VectorsAndBase64) {
  auto md5_hex = [](const std::string& s) {
    io::detail::Md5 m;
    // Fed in uneven pieces, to cross block boundaries.
    for (size_t i = 0; i < s.size(); i += 7) m.update(s.data() + i, std::min<size_t>(7, s.size() - i));
    auto d = m.finish();
    char buf[33];
    for (int i = 0; i < 16; ++i) std::snprintf(buf + 2 * i, 3, "%02x", d[size_t(i)]);
    return std::string(buf, 32);
  };
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
  const uint8_t foo[] = {'f', 'o', 'o', 'b', 'a', 'r'};
  EXPECT_EQ(io::detail::base64_encode(foo, 1), "Zg==");
  EXPECT_EQ(io::detail::base64_encode(foo, 2), "Zm8=");
  EXPECT_EQ(io::detail::base64_encode(foo, 6), "Zm9vYmFy");
}

}  // namespace
