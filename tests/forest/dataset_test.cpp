#include <gtest/gtest.h>

#include <cmath>
#include <string_view>

#include "visiondb/common/error.hpp"
#include "visiondb/ml/forest/binning.hpp"
#include "visiondb/ml/forest/dataset.hpp"

using visiondb::InvalidArgument;
using namespace visiondb::ml;

namespace {
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(FeatureTable, ColumnsOfEveryKind) {
  std::vector<double> f64 = {1.5, std::nan(""), 3.0};
  std::vector<int64_t> i64 = {7, 8, 9};
  std::vector<uint8_t> b = {1, 0, 1}, b_valid = {1, 1, 0};
  std::vector<std::string_view> s = {"red", "blue", "red"};
  std::vector<double> arr = {1, 2, 3, 4, 5, 6};  // 3 rows x 2
  FeatureTable t;
  t.add_numeric("x", f64);
  t.add_int64("n", i64);
  t.add_bool("flag", b, b_valid);
  t.add_categorical("color", s);
  t.add_array("emb", arr, 2);
  EXPECT_EQ(t.rows(), 3u);
  ASSERT_EQ(t.features(), 6u);
  EXPECT_EQ(t.column(4).name, "emb[0]");
  EXPECT_EQ(t.column(5).name, "emb[1]");
  EXPECT_DOUBLE_EQ(t.column(5).numeric(2), 6.0);
  EXPECT_TRUE(std::isnan(t.column(0).numeric(1)));
  EXPECT_TRUE(std::isnan(t.column(2).numeric(2)));
  EXPECT_DOUBLE_EQ(t.column(1).numeric(0), 7.0);
  EXPECT_EQ(t.column(3).kind, FeatureKind::Categorical);
  EXPECT_EQ(t.column(3).dictionary->size(), 2u);
  EXPECT_EQ(t.find("emb[1]"), 5);
  EXPECT_EQ(t.find("nope"), -1);
}

TEST(FeatureTable, RejectsMismatchedRowsAndDuplicates) {
  std::vector<double> a = {1, 2, 3}, b = {1, 2};
  FeatureTable t;
  t.add_numeric("a", a);
  EXPECT_NE(error_of([&] { t.add_numeric("b", b); }).find("\"b\" has 2 rows, expected 3"), std::string::npos);
  EXPECT_NE(error_of([&] { t.add_numeric("a", a); }).find("\"a\" is given twice"), std::string::npos);
  std::vector<double> arr = {1, 2, 3, 4, 5};
  EXPECT_NE(error_of([&] { t.add_array("e", arr, 2); }).find("not a multiple of its width 2"), std::string::npos);
  EXPECT_EQ(t.features(), 1u);
}

TEST(FeatureTable, RaggedArraysNeedOneLength) {
  std::vector<double> values = {1, 2, 3, 4, 5, 6, 7};
  std::vector<size_t> ok_offsets = {0, 2, 2, 4};  // row 1 is NULL
  std::vector<uint8_t> valid = {1, 0, 1};
  FeatureTable t;
  t.add_array("e", values, ok_offsets, valid);
  EXPECT_EQ(t.features(), 2u);
  EXPECT_TRUE(std::isnan(t.column(0).numeric(1)));
  EXPECT_DOUBLE_EQ(t.column(1).numeric(2), 4.0);
  std::vector<size_t> bad = {0, 2, 5, 7};
  FeatureTable u;
  EXPECT_NE(error_of([&] { u.add_array("e", values, bad); }).find("\"e\" row 1 has 3 elements, expected 2"),
            std::string::npos);
}

TEST(Labels, ClassesAndErrors) {
  std::vector<std::string_view> s = {"b", "a", "c", "a"};
  Labels l = Labels::classes("y", s);
  EXPECT_EQ(l.class_names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(l.class_index(), (std::vector<int32_t>{1, 0, 2, 0}));
  std::vector<int64_t> n = {10, 2, 10};
  Labels ln = Labels::classes("y", n);
  EXPECT_EQ(ln.class_names(), (std::vector<std::string>{"2", "10"}));
  std::vector<uint8_t> valid = {1, 0, 1, 1};
  EXPECT_NE(error_of([&] { Labels::classes("y", s, valid); }).find("\"y\" is NULL at row 1"), std::string::npos);
  std::vector<double> v = {1.0, std::nan("")};
  EXPECT_NE(error_of([&] { Labels::numeric("price", v); }).find("\"price\" is NULL at row 1"), std::string::npos);
}

TEST(FeatureBinner, ExactThresholdsForFewValues) {
  std::vector<double> x = {3, 1, 2, 2, 1, 3, std::nan("")};
  FeatureTable t;
  t.add_numeric("x", x);
  FeatureBinner b = FeatureBinner::fit(t, nullptr, 255);
  ASSERT_EQ(b.feature(0).edges, (std::vector<double>{1.5, 2.5}));
  BinnedMatrix m = b.transform(t);
  std::vector<uint8_t> got(m.bins.begin(), m.bins.end());
  EXPECT_EQ(got, (std::vector<uint8_t>{3, 1, 2, 2, 1, 3, 0}));
  EXPECT_EQ(b.bin_of(0, 2.5), 2);  // x <= edge goes to the lower bin
  EXPECT_EQ(b.bin_of(0, 2.5001), 3);
  EXPECT_EQ(b.bin_of(0, 2.50000001), 2);  // compared as float32, as scikit-learn does
}

TEST(FeatureBinner, QuantileBinsForManyValues) {
  std::vector<double> x(10000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 7919) % 10000);
  FeatureTable t;
  t.add_numeric("x", x);
  FeatureBinner b = FeatureBinner::fit(t, nullptr, 16);
  EXPECT_EQ(b.feature(0).bins(), 16u);
  BinnedMatrix m = b.transform(t);
  std::vector<size_t> count(17, 0);
  for (uint8_t v : m.bins) ++count[v];
  EXPECT_EQ(count[0], 0u);
  for (size_t k = 1; k <= 16; ++k) EXPECT_NEAR(static_cast<double>(count[k]), 625.0, 2.0) << "bin " << k;
  // Binning agrees with the branchy lower bound for every value.
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(m.bins[i], b.bin_of(0, x[i])) << x[i];
}

TEST(FeatureBinner, CategoriesOrderedByTargetAndUnseenAreNull) {
  std::vector<std::string_view> c = {"lo", "hi", "mid", "hi", "lo", "mid"};
  std::vector<double> y = {0, 10, 5, 12, 1, 6};
  FeatureTable t;
  t.add_categorical("c", c);
  Labels l = Labels::numeric("y", y);
  FeatureBinner b = FeatureBinner::fit(t, &l, 255);
  EXPECT_EQ(b.feature(0).category_bin.at("lo"), 1);
  EXPECT_EQ(b.feature(0).category_bin.at("mid"), 2);
  EXPECT_EQ(b.feature(0).category_bin.at("hi"), 3);
  std::vector<std::string_view> score = {"hi", "new"};
  FeatureTable s;
  s.add_categorical("c", score);
  BinnedMatrix m = b.transform(s);
  EXPECT_EQ(m.bins[0], 3);
  EXPECT_EQ(m.bins[1], 0);
}

TEST(FeatureBinner, ScoringTableMustHaveTheTrainedColumns) {
  std::vector<double> x = {1, 2};
  FeatureTable t;
  t.add_numeric("x", x);
  FeatureBinner b = FeatureBinner::fit(t, nullptr, 255);
  FeatureTable other;
  other.add_numeric("z", x);
  EXPECT_NE(error_of([&] { b.transform(other); }).find("feature column \"x\" is missing"), std::string::npos);
  std::vector<std::string_view> s = {"a", "b"};
  FeatureTable wrong;
  wrong.add_categorical("x", s);
  EXPECT_NE(error_of([&] { b.transform(wrong); }).find("\"x\" is a STRING"), std::string::npos);
}
