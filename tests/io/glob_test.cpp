#include "visiondb/io/glob.hpp"

#include <gtest/gtest.h>

#include "io/io_test_util.hpp"

using namespace visiondb::io;
using visiondb::io::testing::ScratchDir;

TEST(Glob, MatchesComponents) {
  EXPECT_TRUE(glob_match("*.jpg", "a.jpg"));
  EXPECT_TRUE(glob_match("*.jpg", ".jpg"));
  EXPECT_FALSE(glob_match("*.jpg", "a.jpeg"));
  EXPECT_TRUE(glob_match("img_??.png", "img_01.png"));
  EXPECT_FALSE(glob_match("img_??.png", "img_1.png"));
  EXPECT_TRUE(glob_match("a*b*c", "aXbYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXbY"));
  EXPECT_TRUE(glob_match("*", ""));
}

TEST(Glob, ExpandsStarQuestionAndDoubleStar) {
  ScratchDir dir;
  for (const char* f : {"images/cat/1.jpg", "images/cat/2.png", "images/dog/3.jpg", "images/dog/deep/4.jpg",
                        "images/5.jpg", "other/6.jpg"})
    dir.write(f, "x");
  auto rel = [&](std::vector<std::string> v) {
    for (auto& s : v) s = s.substr(dir.path().size());
    return v;
  };
  EXPECT_EQ(rel(expand_glob(dir.path("images/*/*.jpg"))),
            (std::vector<std::string>{"images/cat/1.jpg", "images/dog/3.jpg"}));
  EXPECT_EQ(rel(expand_glob(dir.path("images/**/*.jpg"))),
            (std::vector<std::string>{"images/5.jpg", "images/cat/1.jpg", "images/dog/3.jpg", "images/dog/deep/4.jpg"}));
  EXPECT_EQ(rel(expand_glob(dir.path("images/?/*.jpg"))), std::vector<std::string>{});
  EXPECT_EQ(rel(expand_glob(dir.path("images/ca?/?.*"))),
            (std::vector<std::string>{"images/cat/1.jpg", "images/cat/2.png"}));
  EXPECT_EQ(rel(expand_glob("file://" + dir.path("**/6.jpg"))), (std::vector<std::string>{"other/6.jpg"}));
  EXPECT_EQ(rel(expand_glob(dir.path("images/5.jpg"))), (std::vector<std::string>{"images/5.jpg"}));
  EXPECT_TRUE(expand_glob(dir.path("images/cat")).empty());  // a directory is not a file
}

TEST(Glob, ExpandUrisKeepsOrderAndNamesMisses) {
  ScratchDir dir;
  dir.write("b.csv", "x");
  dir.write("a.csv", "x");
  auto files = expand_uris({dir.path("b.csv"), dir.path("*.csv")});
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0], dir.path("b.csv"));
  EXPECT_EQ(files[1], dir.path("a.csv"));
  try {
    expand_uris({dir.path("")});
    FAIL();
  } catch (const visiondb::IoError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
  EXPECT_EQ(local_path_of("file:///tmp/x.csv"), "/tmp/x.csv");
  EXPECT_EQ(local_path_of("file://localhost/tmp/x.csv"), "/tmp/x.csv");
  EXPECT_EQ(local_path_of("rel/x.csv"), "rel/x.csv");
}
