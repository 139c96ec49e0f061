// ML.PREDICT over CNN models: the outputs equal the network run directly on the same preprocessed
// images (IMAGE or BYTES input, ResNet-50 at 224 and Inception-v3 at 299), only the outputs the
// query uses are computed, NULL images give NULL outputs, progress is reported, errors are clear.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>

#include "ml_sql/cnn_fixture.hpp"
#include "visiondb/api/database.hpp"
#include "visiondb/functions/ml/cnn_model.hpp"
#include "common/sql_error_text.hpp"

using namespace visiondb;
using visiondb::test::cnn_files;
using visiondb::test::sql_quote;
using visiondb::test::error_of;

namespace {

std::vector<float> floats_of(const Value& v) {
  std::vector<float> out;
  for (const Value& e : v.children()) out.push_back(static_cast<float>(e.as_float64()));
  return out;
}

// max |a - b| / max |b| over one row of a reference matrix.
double row_error(const std::vector<float>& got, const std::vector<float>& ref, size_t row) {
  const size_t n = got.size();
  double num = 0, den = 0;
  for (size_t j = 0; j < n; ++j) {
    num = std::max(num, std::abs(double(got[j]) - ref[row * n + j]));
    den = std::max(den, std::abs(double(ref[row * n + j])));
  }
  return den > 0 ? num / den : num;
}

std::shared_ptr<const fn::CnnModel> model_named(Database& db, const std::string& name) {
  return std::dynamic_pointer_cast<const fn::CnnModel>(db.catalog().find(CatalogEntryKind::Model, {Catalog::kDefaultDataset, name}));
}

void create_images_table(Database& db) {
  db.query("CREATE EXTERNAL TABLE imgs OPTIONS (object_metadata = 'SIMPLE', uris = [" + sql_quote(cnn_files().images + "/*") + "])");
}

}  // namespace

TEST(CnnPredict, ResNet50OutputsEqualTheNetworkRunDirectly) {
  const auto& f = cnn_files();
  const nn::WeightsFile weights(f.resnet50);
  const auto net = test::load_network(weights);
  const models::Outputs ref = test::reference_outputs(weights, *net, f.image_paths);

  Database db;
  // The blog's dataset, table and model names, and its input and output names.
  db.query("CREATE SCHEMA yoga_set");
  db.query("CREATE OR REPLACE EXTERNAL TABLE `yoga_set.yoga_poses` WITH CONNECTION `us.yoga` OPTIONS (object_metadata = 'SIMPLE', uris = [" +
           sql_quote(f.images + "/*") + "])");
  db.query("CREATE MODEL `yoga_set.yoga_poses_resnet` OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(f.resnet50) +
           ", input_column = 'input_1', probabilities_column = 'activation_49', batch_size = 3)");
  auto r = db.query(
      "SELECT uri, logits, activation_49, embedding, predicted_label, predicted_label_index, input_1 "
      "FROM ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM yoga_set.yoga_poses)) "
      "ORDER BY uri");
  ASSERT_EQ(r.row_count(), f.image_paths.size());
  EXPECT_EQ(r.column_type(1).to_string(), "ARRAY<FLOAT64>");
  EXPECT_EQ(r.column_type(4).to_string(), "STRING");
  EXPECT_EQ(r.column_type(5).to_string(), "INT64");
  EXPECT_EQ(r.column_type(6).to_string(), "IMAGE");  // input columns pass through
  for (size_t i = 0; i < r.row_count(); ++i) {
    SCOPED_TRACE(f.image_paths[i]);
    EXPECT_EQ(r.get_as<std::string>(i, 0), f.image_paths[i]);
    const auto logits = floats_of(r.get(i, 1)), probs = floats_of(r.get(i, 2)), emb = floats_of(r.get(i, 3));
    ASSERT_EQ(logits.size(), 1000u);
    ASSERT_EQ(probs.size(), 1000u);
    ASSERT_EQ(emb.size(), 2048u);
    EXPECT_LT(row_error(logits, ref.logits, i), 1e-5);
    EXPECT_LT(row_error(probs, ref.probabilities, i), 1e-5);
    EXPECT_LT(row_error(emb, ref.embedding, i), 1e-5);
    const float* row = ref.logits.data() + i * 1000;
    const int64_t top = std::max_element(row, row + 1000) - row;
    EXPECT_EQ(r.get_as<int64_t>(i, 5), top);
    EXPECT_EQ(r.get_as<std::string>(i, 4), "class_" + std::to_string(top));
  }

  // The blog's queries as written (its one-image inference, then its flattening with UNNEST ...
  // WITH OFFSET), apart from the bucket path.
  auto one = db.query(
      "SELECT * FROM ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 "
      "FROM yoga_set.yoga_poses where REGEXP_CONTAINS(uri, 'b_portrait.png')))");
  ASSERT_EQ(one.row_count(), 1u);
  EXPECT_EQ(one.column_names(), (std::vector<std::string>{"uri", "input_1", "logits", "activation_49", "embedding",
                                                          "predicted_label", "predicted_label_index"}));
  auto flat = db.query(
      "with predictions as (\n"
      "SELECT\n"
      "Uri, data, SPLIT(uri, \"/\")[OFFSET(ARRAY_LENGTH(SPLIT(uri, \"/\")) - 1)] as img,\n"
      "i as label_i,\n"
      "score\n"
      "FROM ML.PREDICT(\n"
      "MODEL yoga_set.yoga_poses_resnet,\n"
      "(SELECT data, uri, ML.DECODE_IMAGE(data) AS input_1\n"
      "FROM yoga_set.yoga_poses)\n"
      "), UNNEST(activation_49) as score WITH OFFSET i)\n"
      "SELECT * FROM predictions");
  EXPECT_EQ(flat.row_count(), 1000 * f.image_paths.size());
  // Top class per image by ROW_NUMBER, as the flow continues.
  auto top = db.query(
      "WITH predictions AS (SELECT uri, i AS label_i, score FROM ML.PREDICT(MODEL yoga_set.yoga_poses_resnet, "
      "(SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM yoga_set.yoga_poses)), UNNEST(activation_49) AS score WITH OFFSET i) "
      "SELECT uri, label_i FROM (SELECT uri, label_i, ROW_NUMBER() OVER (PARTITION BY uri ORDER BY score DESC) AS rn "
      "FROM predictions) WHERE rn = 1 ORDER BY uri");
  ASSERT_EQ(top.row_count(), f.image_paths.size());
  for (size_t i = 0; i < top.row_count(); ++i) EXPECT_EQ(top.get_as<int64_t>(i, 1), r.get_as<int64_t>(i, 5));
}

TEST(CnnPredict, BytesInputAndImageInputGiveTheSameOutputs) {
  Database db;
  create_images_table(db);
  db.query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ", input_column = 'data')");
  db.query("CREATE MODEL mi OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ")");
  auto bytes = db.query("SELECT uri, logits FROM ML.PREDICT(MODEL m, (SELECT uri, data FROM imgs)) ORDER BY uri");
  auto image = db.query("SELECT uri, logits FROM ML.PREDICT(MODEL mi, (SELECT uri, ML.DECODE_IMAGE(data) AS image FROM imgs)) ORDER BY uri");
  ASSERT_EQ(bytes.row_count(), image.row_count());
  for (size_t i = 0; i < bytes.row_count(); ++i) EXPECT_EQ(floats_of(bytes.get(i, 1)), floats_of(image.get(i, 1)));
  // The same with TABLE t: every column passes through.
  auto all = db.query("SELECT COUNT(*), COUNT(md5_hash), COUNT(logits) FROM ML.PREDICT(MODEL m, TABLE imgs)");
  EXPECT_EQ(all.get_as<int64_t>(0, 0), static_cast<int64_t>(cnn_files().image_paths.size()));
  EXPECT_EQ(all.get_as<int64_t>(0, 2), all.get_as<int64_t>(0, 0));
}

TEST(CnnPredict, InceptionV3UsesItsOwn299PreprocessingAndMldbNames) {
  const auto& f = cnn_files();
  const nn::WeightsFile weights(f.inception_v3);
  const auto net = test::load_network(weights);
  const std::vector<std::string> paths(f.image_paths.begin(), f.image_paths.begin() + 3);
  const models::Outputs ref = test::reference_outputs(weights, *net, paths);

  Database db;
  create_images_table(db);
  db.query("CREATE MODEL inception OPTIONS (model_type = 'INCEPTION_V3', model_path = " + sql_quote(f.inception_v3) +
           ", embedding_column = 'pool_3')");
  auto r = db.query("SELECT uri, pool_3, predicted_label_index FROM ML.PREDICT(MODEL inception, "
                    "(SELECT uri, ML.DECODE_IMAGE(data) AS image FROM imgs ORDER BY uri LIMIT 3)) ORDER BY uri");
  ASSERT_EQ(r.row_count(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const auto emb = floats_of(r.get(i, 1));
    ASSERT_EQ(emb.size(), 2048u);
    EXPECT_LT(row_error(emb, ref.embedding, i), 1e-5);
    const float* row = ref.logits.data() + i * 1000;
    EXPECT_EQ(r.get_as<int64_t>(i, 2), std::max_element(row, row + 1000) - row);
  }
  // No labels in these weights: no label column.
  EXPECT_NE(error_of(db, "SELECT predicted_label FROM ML.PREDICT(MODEL inception, (SELECT ML.DECODE_IMAGE(data) AS image FROM imgs))")
                .find("predicted_label"),
            std::string::npos);
}

TEST(CnnPredict, ComputesOnlyTheOutputsTheQueryUses) {
  Database db;
  create_images_table(db);
  db.query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ", input_column = 'data')");
  auto model = model_named(db, "m");
  const size_t n = cnn_files().image_paths.size();

  // Embedding only: the trunk runs, the classifier does not.
  auto r = db.query("SELECT uri, embedding FROM ML.PREDICT(MODEL m, TABLE imgs)");
  EXPECT_EQ(r.row_count(), n);
  EXPECT_EQ(model->images_embedded(), n);
  EXPECT_EQ(model->images_classified(), 0u);
  auto plan = db.query("EXPLAIN SELECT uri, embedding FROM ML.PREDICT(MODEL m, TABLE imgs)");
  std::string text;
  for (size_t i = 0; i < plan.row_count(); ++i) text += plan.get_as<std::string>(i, 0) + "\n";
  EXPECT_NE(text.find("TABLE_FUNCTION ML.PREDICT ["), std::string::npos) << text;
  EXPECT_EQ(text.find("logits"), std::string::npos) << text;
  EXPECT_NE(text.find("(RESNET50 224x224, computes embedding, batch 16, 0 images run)"), std::string::npos) << text;
  plan = db.query("EXPLAIN ANALYZE SELECT uri, embedding FROM ML.PREDICT(MODEL m, TABLE imgs)");
  text.clear();
  for (size_t i = 0; i < plan.row_count(); ++i) text += plan.get_as<std::string>(i, 0) + "\n";
  EXPECT_NE(text.find("computes embedding, batch 16, " + std::to_string(n) + " images run"), std::string::npos) << text;
  EXPECT_EQ(model->images_classified(), 0u);

  // The label needs the classifier.
  db.query("SELECT predicted_label FROM ML.PREDICT(MODEL m, TABLE imgs)");
  EXPECT_EQ(model->images_embedded(), 3 * n);
  EXPECT_EQ(model->images_classified(), n);

  // No output at all: the network does not run.
  auto c = db.query("SELECT COUNT(*) FROM ML.PREDICT(MODEL m, TABLE imgs)");
  EXPECT_EQ(c.get_as<int64_t>(0, 0), static_cast<int64_t>(n));
  EXPECT_EQ(model->images_embedded(), 3 * n);
}

TEST(CnnPredict, NullImagesGiveNullOutputsAndFiltersAreHonoured) {
  Database db;
  create_images_table(db);
  db.query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ")");
  auto r = db.query(
      "SELECT uri, predicted_label, logits, embedding FROM ML.PREDICT(MODEL m, "
      "(SELECT uri, IF(REGEXP_CONTAINS(uri, 'gray|small'), NULL, ML.DECODE_IMAGE(data)) AS image FROM imgs)) "
      "WHERE NOT REGEXP_CONTAINS(uri, 'photo') ORDER BY uri");
  ASSERT_EQ(r.row_count(), cnn_files().image_paths.size() - 1);
  auto ref = db.query("SELECT uri, predicted_label FROM ML.PREDICT(MODEL m, (SELECT uri, ML.DECODE_IMAGE(data) AS image FROM imgs)) ORDER BY uri");
  for (size_t i = 0; i < r.row_count(); ++i) {
    const std::string uri = r.get_as<std::string>(i, 0);
    SCOPED_TRACE(uri);
    const bool null_image = uri.find("gray") != std::string::npos || uri.find("small") != std::string::npos;
    EXPECT_EQ(r.is_null(i, 1), null_image);
    EXPECT_EQ(r.is_null(i, 2), null_image);
    EXPECT_EQ(r.is_null(i, 3), null_image);
    if (!null_image) {
      for (size_t k = 0; k < ref.row_count(); ++k)
        if (ref.get_as<std::string>(k, 0) == uri) {
          EXPECT_EQ(r.get_as<std::string>(i, 1), ref.get_as<std::string>(k, 1));
        }
    }
  }
  // A filter that selects rows of a chunk (a selection vector over an ordinary table): the outputs
  // stay aligned with their rows.
  db.query("CREATE TABLE copies AS SELECT uri, data, ML.DECODE_IMAGE(data) AS image, "
           "ROW_NUMBER() OVER (ORDER BY uri) AS k FROM imgs");
  auto odd = db.query("SELECT uri, predicted_label FROM ML.PREDICT(MODEL m, (SELECT uri, image FROM copies WHERE MOD(k, 2) = 1)) ORDER BY uri");
  ASSERT_EQ(odd.row_count(), (cnn_files().image_paths.size() + 1) / 2);
  for (size_t i = 0; i < odd.row_count(); ++i) {
    EXPECT_EQ(odd.get_as<std::string>(i, 0), ref.get_as<std::string>(2 * i, 0));
    EXPECT_EQ(odd.get_as<std::string>(i, 1), ref.get_as<std::string>(2 * i, 1));
  }
  // A filter inside the input query: only the kept rows are predicted.
  auto model = model_named(db, "m");
  const uint64_t before = model->images_embedded();
  auto one = db.query("SELECT predicted_label FROM ML.PREDICT(MODEL m, (SELECT ML.DECODE_IMAGE(data) AS image FROM imgs "
                      "WHERE REGEXP_CONTAINS(uri, 'portrait')))");
  EXPECT_EQ(one.row_count(), 1u);
  EXPECT_EQ(model->images_embedded(), before + 1);
}

TEST(CnnPredict, ReportsProgressWithIncreasingCounts) {
  Database db;
  create_images_table(db);
  db.query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) +
           ", input_column = 'data', batch_size = 1)");
  std::mutex mutex;
  std::vector<Progress> reports;
  db.set_progress_callback([&](const Progress& p) {
    std::lock_guard lock(mutex);
    reports.push_back(p);
  });
  const size_t n = cnn_files().image_paths.size();
  db.query("SELECT embedding FROM ML.PREDICT(MODEL m, TABLE imgs)");
  ASSERT_FALSE(reports.empty());
  for (size_t i = 1; i < reports.size(); ++i) EXPECT_GE(reports[i].done, reports[i - 1].done);
  for (const auto& p : reports) {
    EXPECT_EQ(p.task, "ML.PREDICT m");
    EXPECT_EQ(p.unit, "rows");
    EXPECT_LE(p.done, p.total);
    EXPECT_GE(p.per_second, 0.0);
  }
  EXPECT_TRUE(reports.back().finished);
  EXPECT_EQ(reports.back().done, n);
  EXPECT_EQ(reports.back().total, n);
  EXPECT_EQ(std::count_if(reports.begin(), reports.end(), [](const Progress& p) { return p.finished; }), 1);
  // Off again: no more reports.
  db.set_progress_callback({});
  const size_t count = reports.size();
  db.query("SELECT embedding FROM ML.PREDICT(MODEL m, TABLE imgs)");
  EXPECT_EQ(reports.size(), count);
}

TEST(CnnPredict, OneAndTwoThreadsAndBatchSizesAgree) {
  Database db1(DatabaseOptions{.threads = 1});
  Database db2(DatabaseOptions{.threads = 2});
  std::vector<std::vector<float>> got[2];
  Database* dbs[2] = {&db1, &db2};
  for (int d = 0; d < 2; ++d) {
    create_images_table(*dbs[d]);
    dbs[d]->query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) +
                  ", input_column = 'data')");
    auto r = dbs[d]->query("SELECT embedding FROM ML.PREDICT(MODEL m, TABLE imgs, STRUCT(" + std::to_string(2 + d * 3) +
                           " AS batch_size)) ORDER BY uri");
    for (size_t i = 0; i < r.row_count(); ++i) got[d].push_back(floats_of(r.get(i, 0)));
  }
  ASSERT_EQ(got[0].size(), got[1].size());
  for (size_t i = 0; i < got[0].size(); ++i) {
    std::vector<float> ref = got[0][i];
    EXPECT_LT(row_error(got[1][i], ref, 0), 1e-5);
  }
}

TEST(CnnPredict, SeveralWorkersRunAtOnceOverManyRows) {
  // 5000 rows in several morsels, an image every 1000 rows: two workers predict at the same time,
  // the NULL rows stream through, and progress counts every row.
  Database db(DatabaseOptions{.threads = 2});
  create_images_table(db);
  db.query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ", input_column = 'data')");
  db.query("CREATE TABLE many AS SELECT n, IF(MOD(n, 1000) = 0, i.data, NULL) AS data "
           "FROM UNNEST(GENERATE_ARRAY(1, 5000)) AS n, (SELECT data FROM imgs WHERE REGEXP_CONTAINS(uri, 'a_rgb')) AS i");
  std::mutex mutex;
  std::vector<Progress> reports;
  db.set_progress_callback([&](const Progress& p) {
    std::lock_guard lock(mutex);
    reports.push_back(p);
  });
  auto r = db.query("SELECT n, embedding FROM ML.PREDICT(MODEL m, TABLE many) ORDER BY n");
  ASSERT_EQ(r.row_count(), 5000u);
  auto single = db.query("SELECT embedding FROM ML.PREDICT(MODEL m, (SELECT data FROM imgs WHERE REGEXP_CONTAINS(uri, 'a_rgb')))");
  const auto expected = floats_of(single.get(0, 0));
  for (size_t i = 0; i < r.row_count(); ++i) {
    const bool has_image = (i + 1) % 1000 == 0;
    ASSERT_EQ(r.is_null(i, 1), !has_image) << "row " << i;
    if (has_image) {
      EXPECT_LT(row_error(floats_of(r.get(i, 1)), expected, 0), 1e-5) << "row " << i;
    }
  }
  ASSERT_FALSE(reports.empty());
  const Progress& last = *std::find_if(reports.begin(), reports.end(), [](const Progress& p) { return p.finished; });
  EXPECT_EQ(last.done, 5000u);
  EXPECT_EQ(last.total, 5000u);
}

TEST(CnnPredict, Bf16PrecisionStaysCloseToFp32) {
  Database db;
  create_images_table(db);
  db.query("CREATE MODEL fp32 OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ", input_column = 'data')");
  const std::string e = error_of(db, "CREATE MODEL bf16 OPTIONS (model_type = 'RESNET50', model_path = " +
                                         sql_quote(cnn_files().resnet50) + ", input_column = 'data', precision = 'bf16')");
  if (e != "(no error)") {
    EXPECT_NE(e.find("AVX512-BF16"), std::string::npos) << e;
    GTEST_SKIP() << "no AVX512-BF16 here: " << e;
  }
  EXPECT_NE(model_named(db, "bf16")->describe().find("bf16"), std::string::npos);
  const std::string query = " FROM ML.PREDICT(MODEL %, (SELECT uri, data FROM imgs WHERE REGEXP_CONTAINS(uri, 'rgb|photo'))) ORDER BY uri";
  auto run = [&](const std::string& model) {
    std::string q = "SELECT embedding, logits" + query;
    q.replace(q.find('%'), 1, model);
    return db.query(q);
  };
  auto a = run("fp32"), b = run("bf16");
  ASSERT_EQ(a.row_count(), 3u);
  for (size_t i = 0; i < a.row_count(); ++i) {
    const auto ea = floats_of(a.get(i, 0)), eb = floats_of(b.get(i, 0));
    EXPECT_LT(row_error(eb, ea, 0), 0.05);  // bf16 products: about 3 significant digits
    EXPECT_NE(ea, eb);                      // and really another arithmetic
  }
}

TEST(CnnPredict, WinogradOptionStaysWithinItsRounding) {
  Database db;
  create_images_table(db);
  db.query("CREATE MODEL exact OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ", input_column = 'data')");
  db.query("CREATE MODEL fast OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) +
           ", input_column = 'data', winograd = TRUE)");
  EXPECT_EQ(model_named(db, "exact")->describe().find("winograd"), std::string::npos);
  EXPECT_NE(model_named(db, "fast")->describe().find("winograd"), std::string::npos);
  const std::string query = " FROM ML.PREDICT(MODEL %, (SELECT uri, data FROM imgs WHERE REGEXP_CONTAINS(uri, 'rgb|photo'))) ORDER BY uri";
  auto run = [&](const std::string& model) {
    std::string q = "SELECT embedding, logits" + query;
    q.replace(q.find('%'), 1, model);
    return db.query(q);
  };
  auto a = run("exact"), b = run("fast");
  ASSERT_EQ(a.row_count(), 3u);
  for (size_t i = 0; i < a.row_count(); ++i) {
    const auto ea = floats_of(a.get(i, 0)), eb = floats_of(b.get(i, 0));
    EXPECT_LT(row_error(eb, ea, 0), 2e-5);  // Winograd's rounding (models.md)
    EXPECT_NE(ea, eb);                      // and really another arithmetic
  }
  const std::string e = error_of(db, "CREATE MODEL bad OPTIONS (model_type = 'RESNET50', model_path = " +
                                         sql_quote(cnn_files().resnet50) + ", winograd = 'yes')");
  EXPECT_NE(e.find("winograd must be TRUE or FALSE"), std::string::npos) << e;
}

TEST(CnnPredict, ClearErrors) {
  Database db;
  create_images_table(db);
  db.query("CREATE MODEL m OPTIONS (model_type = 'RESNET50', model_path = " + sql_quote(cnn_files().resnet50) + ", input_column = 'input_1')");
  std::string e = error_of(db, "SELECT * FROM ML.PREDICT(MODEL m, (SELECT uri, data FROM imgs))");
  EXPECT_NE(e.find("reads its images from column \"input_1\""), std::string::npos) << e;
  EXPECT_NE(e.find("its columns: uri, data"), std::string::npos) << e;
  EXPECT_NE(e.find('^'), std::string::npos) << e;
  e = error_of(db, "SELECT * FROM ML.PREDICT(MODEL m, (SELECT uri AS input_1 FROM imgs))");
  EXPECT_NE(e.find("column \"input_1\" is STRING"), std::string::npos) << e;
  e = error_of(db, "SELECT * FROM ML.PREDICT(MODEL m, (SELECT data AS input_1, 1 AS logits FROM imgs))");
  EXPECT_NE(e.find("also the name of an output"), std::string::npos) << e;
  e = error_of(db, "SELECT * FROM ML.PREDICT(MODEL m, (SELECT data AS input_1 FROM imgs), STRUCT(0.5 AS threshold))");
  EXPECT_NE(e.find("unknown ML.PREDICT setting \"threshold\""), std::string::npos) << e;
  e = error_of(db, "SELECT * FROM ML.PREDICT(MODEL m)");
  EXPECT_NE(e.find("ML.PREDICT takes (MODEL m, TABLE t"), std::string::npos) << e;
  e = error_of(db, "SELECT * FROM ML.EVALUATE(MODEL m, TABLE imgs)");
  EXPECT_NE(e.find("ML.EVALUATE does not support model"), std::string::npos) << e;

  // An undecodable file: the error names its uri.
  const std::string bad = cnn_files().dir + "/bad/broken.png";
  test::write_png(bad, 40, 30, 3, 9);
  {
    std::string content;
    {
      std::ifstream in(bad, std::ios::binary);
      content.assign(std::istreambuf_iterator<char>(in), {});
    }
    std::ofstream(bad, std::ios::binary) << content.substr(0, content.size() / 2);
  }
  db.query("CREATE EXTERNAL TABLE broken OPTIONS (object_metadata = 'SIMPLE', uris = [" + sql_quote(cnn_files().dir + "/bad/*.png") + "])");
  e = error_of(db, "SELECT logits FROM ML.PREDICT(MODEL m, (SELECT uri, data AS input_1 FROM broken))");
  EXPECT_NE(e.find(bad), std::string::npos) << e;
  EXPECT_NE(e.find("ML.PREDICT"), std::string::npos) << e;
}
