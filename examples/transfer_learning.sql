-- MLDB's transfer-learning flow ("Realtime image classification with MLDB and TensorFlow":
-- Inception-v3 embeddings, a random forest, a scoring function) in visiondb's SQL.
--
-- Run it from a folder holding
--   images/labels.csv     a header line, then one "path,label" line per image (path relative to images/)
--   images/<...>          the images (JPEG, PNG, BMP or GIF)
--   inception_v3.vdbw     Inception-v3's weights, converted (weights/README.md) or generated
-- e.g.  cd that/folder && visiondb < examples/transfer_learning.sql
-- (tests/forest_sql/transfer_learning_test.cpp runs this file as is on generated images and weights.)

-- 1. The CSV of image paths and labels, imported as a table; a quick look at the classes.
CREATE OR REPLACE TABLE images (path STRING, label STRING);
LOAD DATA INTO images FROM FILES (format = 'CSV', uris = ['images/labels.csv'], skip_leading_rows = 1);
SELECT label, COUNT(*) AS images FROM images GROUP BY label ORDER BY label;

-- 2. The image files (an object table), and Inception-v3 with its pooled 2048-wide layer named
--    as MLDB named it, pool_3.
CREATE OR REPLACE EXTERNAL TABLE image_files OPTIONS (object_metadata = 'SIMPLE', uris = ['images/**']);
CREATE OR REPLACE MODEL inception
  OPTIONS (model_type = 'INCEPTION_V3', model_path = 'inception_v3.vdbw', embedding_column = 'pool_3');

-- 3. Feature extraction: every image's embedding, into a new table.
CREATE OR REPLACE TABLE features AS
SELECT path, label, pool_3
FROM ML.PREDICT(MODEL inception,
  (SELECT i.path, i.label, ML.DECODE_IMAGE(f.data) AS image
   FROM images AS i JOIN image_files AS f ON f.uri = CONCAT('images/', i.path)));

-- 4. A random forest on the embeddings, trained on half of the images and tested on the other
--    half (MLDB's classifier.experiment splits 50/50). About sqrt(2048) features per node.
CREATE OR REPLACE MODEL image_forest
  OPTIONS (model_type = 'RANDOM_FOREST_CLASSIFIER', input_label_cols = ['label'],
           data_split_method = 'RANDOM', data_split_eval_fraction = 0.5,
           num_parallel_tree = 100, colsample_bynode = 0.03, seed = 1)
AS SELECT * EXCEPT (path) FROM features;

-- 5. How it does on the held-out half: accuracy, precision, recall, F1, log loss, ROC AUC, and
--    the confusion matrix.
SELECT * FROM ML.EVALUATE(MODEL image_forest);
SELECT * FROM ML.CONFUSION_MATRIX(MODEL image_forest) ORDER BY expected_label;

-- 6. Real-time scoring: one stored function decodes, embeds and classifies an image file.
CREATE OR REPLACE FUNCTION predict_image(image_path STRING) AS ((
  SELECT AS STRUCT predicted_label, predicted_label_probs
  FROM ML.PREDICT(MODEL image_forest,
    (SELECT pool_3 FROM ML.PREDICT(MODEL inception,
      (SELECT ML.DECODE_IMAGE(data) AS image FROM image_files WHERE uri = image_path))))));

SELECT path, label, predict_image(CONCAT('images/', path)).predicted_label AS predicted
FROM images ORDER BY path LIMIT 3;
