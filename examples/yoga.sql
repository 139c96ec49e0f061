-- BigQuery ML's yoga-pose flow ("Build An Image Data Classification Model With BigQuery ML",
-- Abirami Sukumaran, Google Cloud Blog), on a local folder. The queries are the blog's, apart from
-- the model's OPTIONS and the bucket paths; 5d's <<LABEL_LOGIC>> placeholder is filled by a lookup
-- in a labels table, and the top-3 query (ROW_NUMBER per image) goes one step beyond the blog.
--
-- Run it from a folder holding yoga_health.csv (examples/yoga_health.csv) and imagenet_labels.csv
-- (class_index,label: `visiondb-demo-data labels WEIGHTS.vdbw imagenet_labels.csv`), with the
-- images' bucket and the models' bucket mounted:
--
--   visiondb --mount gs://yoga_images=IMAGES_DIR --mount gs://yoga_models=DIR_OF_resnet50.vdbw \
--            -f examples/yoga.sql
--
-- IMAGES_DIR holds one folder per pose (downdog/, goddess/, ...). tools/demo runs this file on
-- generated images and weights, or on a folder and weights file you name.

-- 1. The dataset.
CREATE SCHEMA IF NOT EXISTS yoga_set;

-- The structured table of the blog's last step: pose, focus, health_benefit, breath.
LOAD DATA OVERWRITE yoga_set.yoga_health
  FROM FILES (format = 'CSV', uris = ['yoga_health.csv'], skip_leading_rows = 1);

-- The class names of the model's outputs, by 0-based class index.
LOAD DATA OVERWRITE yoga_set.imagenet_labels
  FROM FILES (format = 'CSV', uris = ['imagenet_labels.csv'], skip_leading_rows = 1);

-- 3. The object table: one row per image file in the bucket. The connection is accepted and
-- ignored; the blog's bucket held JPEGs only, this one may hold PNGs too.
CREATE OR REPLACE EXTERNAL TABLE `yoga_set.yoga_poses`
WITH CONNECTION `us.yoga-connection`
OPTIONS (object_metadata = "SIMPLE", uris = ["gs://yoga_images/*.jpg", "gs://yoga_images/*.png"]);

-- A pose from the table: the filter on uri runs inside the scan, so only matching files are read.
SELECT data , uri
FROM `yoga_set.yoga_poses`
WHERE REGEXP_CONTAINS(uri, 'gs://yoga_images/downdog')
Limit 1;

-- 5a. The model: ResNet-50 from converted weights (the blog loads a TensorFlow SavedModel from its
-- bucket), its input and its class scores named as the blog's model names them.
CREATE OR REPLACE MODEL `yoga_set.yoga_poses_resnet`
OPTIONS (model_type = 'RESNET50', model_path = 'gs://yoga_models/resnet50.vdbw',
         input_column = 'input_1', probabilities_column = 'activation_49');

-- 5c. Infer one yoga pose.
SELECT *
FROM ML.PREDICT(
  MODEL yoga_set.yoga_poses_resnet,
  (SELECT uri, ML.DECODE_IMAGE(data) AS input_1
   FROM yoga_set.yoga_poses where REGEXP_CONTAINS(uri, 'gs://yoga_images/downdog/downdog_001.jpg')));

-- 5d. Flattening the result: one row per class, its score and its label.
with predictions as (
SELECT
Uri, data, SPLIT(uri, "/")[OFFSET(ARRAY_LENGTH(SPLIT(uri, "/")) - 1)] as img,
i as label_i,
(SELECT l.label FROM yoga_set.imagenet_labels AS l WHERE l.class_index = i) label,
Score
FROM ML.PREDICT(
MODEL yoga_set.yoga_poses_resnet,
(SELECT data, uri, ML.DECODE_IMAGE(data) AS input_1
FROM yoga_set.yoga_poses
WHERE REGEXP_CONTAINS(uri, 'gs://yoga_images/downdog/downdog_001.jpg'))),
UNNEST(activation_49) as score WITH OFFSET i)
SELECT * FROM predictions;

-- The top 3 labels of every image, best first.
WITH predictions AS (
  SELECT uri,
         SPLIT(uri, "/")[OFFSET(ARRAY_LENGTH(SPLIT(uri, "/")) - 2)] AS pose,
         SPLIT(uri, "/")[OFFSET(ARRAY_LENGTH(SPLIT(uri, "/")) - 1)] AS img,
         i AS label_i,
         score
  FROM ML.PREDICT(MODEL yoga_set.yoga_poses_resnet,
                  (SELECT uri, ML.DECODE_IMAGE(data) AS input_1 FROM yoga_set.yoga_poses)),
       UNNEST(activation_49) AS score WITH OFFSET i
),
ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY uri ORDER BY score DESC) AS rank
  FROM predictions
)
SELECT r.pose, r.img, r.rank, l.label, r.label_i, r.score
FROM ranked AS r JOIN yoga_set.imagenet_labels AS l ON l.class_index = r.label_i
WHERE r.rank <= 3
ORDER BY r.pose, r.img, r.rank;

-- Unifying structured and unstructured data: each image beside its pose's health data, joined on
-- the image's folder name.
SELECT SPLIT(uri, "/")[OFFSET(ARRAY_LENGTH(SPLIT(uri, "/")) - 2)] as pose,
a.health_benefit, breath, focus, data
FROM `abis-345004.yoga_set.yoga_health` a, yoga_set.yoga_poses b
WHERE a.pose = SPLIT(uri, "/")[OFFSET(ARRAY_LENGTH(SPLIT(uri, "/")) - 2)];
