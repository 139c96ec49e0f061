// The generated inputs of the demo and of the yoga flow's test (see demo_data.hpp).
#include "demo_data.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb_image_write.h>  // stbi_write_png, stbi_write_jpg
#pragma GCC diagnostic pop

#include "visiondb/common/error.hpp"
#include "visiondb/models/zoo.hpp"
#include "visiondb/nn/generated_weights.hpp"
#include "visiondb/nn/weights_convert.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace visiondb::demo {
namespace {

namespace fs = std::filesystem;

// Park-Miller minimal standard generator: tiny, portable, the same sequence everywhere.
struct Random {
  uint64_t state;
  explicit Random(uint64_t seed) : state(seed % 2147483647 == 0 ? 1 : seed % 2147483647) {}
  double next() {  // in [0, 1)
    state = state * 16807 % 2147483647;
    return static_cast<double>(state) / 2147483647.0;
  }
  double range(double lo, double hi) { return lo + (hi - lo) * next(); }
};

struct Point {
  double x, y;  // fractions of the figure's box; y grows downwards
};

// A pose as joints: head, neck, hip, then (left, right) elbow, hand, knee, foot.
struct Pose {
  Point head, neck, hip, elbow_l, hand_l, elbow_r, hand_r, knee_l, foot_l, knee_r, foot_r;
};

Pose pose_of(const std::string& name) {
  if (name == "downdog")  // an inverted V: hands and feet on the floor, hips up
    return {{0.30, 0.62}, {0.33, 0.52}, {0.55, 0.25}, {0.25, 0.70}, {0.18, 0.92}, {0.27, 0.70}, {0.20, 0.92},
            {0.68, 0.58}, {0.80, 0.92}, {0.70, 0.58}, {0.83, 0.92}};
  if (name == "goddess")  // a wide squat, arms bent up like a cactus
    return {{0.50, 0.12}, {0.50, 0.22}, {0.50, 0.55}, {0.30, 0.25}, {0.30, 0.08}, {0.70, 0.25}, {0.70, 0.08},
            {0.28, 0.62}, {0.25, 0.92}, {0.72, 0.62}, {0.75, 0.92}};
  if (name == "plank")  // a straight diagonal body over the floor
    return {{0.15, 0.45}, {0.23, 0.50}, {0.52, 0.60}, {0.23, 0.70}, {0.23, 0.90}, {0.26, 0.70}, {0.26, 0.90},
            {0.70, 0.70}, {0.88, 0.88}, {0.71, 0.71}, {0.90, 0.90}};
  if (name == "tree")  // standing on one leg, the other foot on the knee, hands joined above
    return {{0.50, 0.14}, {0.50, 0.24}, {0.50, 0.55}, {0.42, 0.10}, {0.50, 0.02}, {0.58, 0.10}, {0.50, 0.02},
            {0.50, 0.74}, {0.50, 0.94}, {0.66, 0.66}, {0.52, 0.74}};
  if (name == "warrior2")  // a wide lunge, arms level
    return {{0.50, 0.14}, {0.50, 0.24}, {0.50, 0.55}, {0.32, 0.26}, {0.12, 0.26}, {0.68, 0.26}, {0.88, 0.26},
            {0.30, 0.62}, {0.25, 0.92}, {0.70, 0.72}, {0.84, 0.92}};
  if (name == "triangle")  // wide legs, the torso tilted, one arm up and one down
    return {{0.30, 0.40}, {0.36, 0.40}, {0.52, 0.55}, {0.36, 0.25}, {0.36, 0.08}, {0.34, 0.58}, {0.32, 0.80},
            {0.38, 0.73}, {0.28, 0.92}, {0.68, 0.73}, {0.78, 0.92}};
  // Any other name: a figure standing with its arms out, tilted by the name's hash.
  const double t = static_cast<double>(nn::fnv1a64(name) % 1000) / 1000.0 - 0.5;
  return {{0.50 + 0.1 * t, 0.14}, {0.50, 0.24}, {0.50, 0.55}, {0.35, 0.35 + 0.2 * t}, {0.25, 0.45 - 0.3 * t},
          {0.65, 0.35 - 0.2 * t}, {0.75, 0.45 + 0.3 * t}, {0.45, 0.74}, {0.42, 0.94}, {0.55, 0.74}, {0.58, 0.94}};
}

struct Canvas {
  int width, height, channels;
  std::vector<uint8_t> pixels;
  void blend(int x, int y, const std::array<double, 3>& rgb, double alpha) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    uint8_t* p = &pixels[(static_cast<size_t>(y) * width + x) * channels];
    for (int c = 0; c < 3; ++c) p[c] = static_cast<uint8_t>(std::lround(p[c] * (1 - alpha) + rgb[c] * alpha));
  }
  // A thick segment with a soft edge (a capsule): every pixel within `radius` of the segment.
  void segment(Point a, Point b, double radius, const std::array<double, 3>& rgb) {
    const int x0 = static_cast<int>(std::floor(std::min(a.x, b.x) - radius - 1));
    const int x1 = static_cast<int>(std::ceil(std::max(a.x, b.x) + radius + 1));
    const int y0 = static_cast<int>(std::floor(std::min(a.y, b.y) - radius - 1));
    const int y1 = static_cast<int>(std::ceil(std::max(a.y, b.y) + radius + 1));
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = std::max(dx * dx + dy * dy, 1e-9);
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) {
        const double t = std::clamp(((x - a.x) * dx + (y - a.y) * dy) / len2, 0.0, 1.0);
        const double d = std::hypot(x - (a.x + t * dx), y - (a.y + t * dy));
        const double alpha = std::clamp(radius + 0.5 - d, 0.0, 1.0);
        if (alpha > 0) blend(x, y, rgb, alpha);
      }
  }
};

// One image of `pose`: a wall and floor, a mat, the figure, a little noise; `index` varies the
// size, the colours, the figure's placement and the joints.
Canvas draw_image(const std::string& pose, int index, bool alpha, uint64_t seed) {
  Random r(seed);
  static constexpr int kWidths[] = {320, 400, 480, 256, 360, 300};
  const int width = kWidths[index % 6];
  const int height = static_cast<int>(width * (index % 2 ? 0.75 : 1.25 - 0.1 * (index % 3)));
  const int channels = alpha ? 4 : 3;
  Canvas img{width, height, channels, std::vector<uint8_t>(static_cast<size_t>(width) * height * channels, 255)};

  const std::array<double, 3> wall{r.range(150, 240), r.range(150, 240), r.range(140, 230)};
  const std::array<double, 3> floor{r.range(90, 170), r.range(60, 130), r.range(30, 90)};
  const double horizon = r.range(0.6, 0.75);
  for (int y = 0; y < height; ++y) {
    const double fy = static_cast<double>(y) / height;
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &img.pixels[(static_cast<size_t>(y) * width + x) * channels];
      const double shade = 0.85 + 0.15 * std::sin(0.02 * x + 3 * fy);
      for (int c = 0; c < 3; ++c) {
        const double v = (fy < horizon ? wall[c] * (0.8 + 0.2 * fy) : floor[c] * (1.2 - 0.3 * fy)) * shade;
        p[c] = static_cast<uint8_t>(std::clamp(v + r.range(-6, 6), 0.0, 255.0));
      }
      if (channels == 4) p[3] = static_cast<uint8_t>(x < width / 10 ? 128 : 255);
    }
  }

  // The figure's box, its joints jittered a little.
  const double box_w = width * r.range(0.55, 0.75), box_h = height * r.range(0.55, 0.7);
  const double left = r.range(0.05, 0.95) * (width - box_w);
  const double top = horizon * height + 0.08 * height - box_h;
  Pose p = pose_of(pose);
  for (Point* j : {&p.head, &p.neck, &p.hip, &p.elbow_l, &p.hand_l, &p.elbow_r, &p.hand_r, &p.knee_l, &p.foot_l,
                   &p.knee_r, &p.foot_r}) {
    j->x = left + (j->x + r.range(-0.02, 0.02)) * box_w;
    j->y = top + (j->y + r.range(-0.02, 0.02)) * box_h;
  }
  const double limb = std::max(2.0, 0.035 * std::min(box_w, box_h));
  const std::array<double, 3> mat{r.range(20, 80), r.range(80, 200), r.range(120, 220)};
  img.segment({left - 0.05 * box_w, top + 0.97 * box_h}, {left + 1.05 * box_w, top + 0.97 * box_h}, limb * 0.6, mat);
  const std::array<double, 3> skin{r.range(120, 230), r.range(80, 180), r.range(60, 150)};
  const std::array<double, 3> cloth{r.range(10, 120), r.range(10, 120), r.range(40, 160)};
  img.segment(p.neck, p.hip, limb * 1.6, cloth);
  img.segment(p.hip, p.knee_l, limb * 1.2, cloth);
  img.segment(p.knee_l, p.foot_l, limb, skin);
  img.segment(p.hip, p.knee_r, limb * 1.2, cloth);
  img.segment(p.knee_r, p.foot_r, limb, skin);
  img.segment(p.neck, p.elbow_l, limb, skin);
  img.segment(p.elbow_l, p.hand_l, limb * 0.9, skin);
  img.segment(p.neck, p.elbow_r, limb, skin);
  img.segment(p.elbow_r, p.hand_r, limb * 0.9, skin);
  img.segment(p.head, p.head, limb * 2.4, skin);
  return img;
}

}  // namespace

std::vector<std::string> write_yoga_images(const std::string& dir, int per_class, const std::vector<std::string>& classes) {
  std::vector<std::string> written;
  for (size_t k = 0; k < classes.size(); ++k) {
    const std::string& pose = classes[k];
    if (pose.empty() || pose.find_first_of("/\\") != std::string::npos || pose == "." || pose == "..")
      throw InvalidArgument("a pose name must be a plain folder name, got \"" + pose + "\"");
    fs::create_directories(fs::path(dir) / pose);
    for (int i = 0; i < per_class; ++i) {
      // Every fourth image is a PNG, every other PNG with an alpha channel; the rest are JPEGs.
      const bool png = i % 4 == 3;
      const Canvas img = draw_image(pose, i + static_cast<int>(k), png && (i / 4 + k) % 2 == 0,
                                    nn::fnv1a64(pose) + 7919ull * (i + 1));
      char name[32];
      std::snprintf(name, sizeof name, "%03d.%s", i + 1, png ? "png" : "jpg");
      const std::string path = (fs::path(dir) / pose / (pose + "_" + name)).string();
      const int ok = png ? stbi_write_png(path.c_str(), img.width, img.height, img.channels, img.pixels.data(),
                                          img.width * img.channels)
                         : stbi_write_jpg(path.c_str(), img.width, img.height, img.channels, img.pixels.data(), 90);
      if (!ok) ::visiondb::detail::throw_io_error(path, "cannot write the image");
      written.push_back(pose + "/" + pose + "_" + name);
    }
  }
  return written;
}

nn::WeightsMetadata write_generated_weights(const std::string& out, const std::string& arch, uint64_t seed,
                                            const std::string& labels_path) {
  const models::ModelEntry* entry = models::find_model(arch);
  if (entry == nullptr) throw InvalidArgument("unknown architecture \"" + arch + "\" (resnet50, inception_v3)");
  const auto specs = entry->tensor_specs();
  const nn::GeneratedWeights generated(specs, seed);

  auto meta = nn::WeightsMetadata::for_architecture(entry->name);
  meta.num_classes = entry->num_classes;
  if (!labels_path.empty()) {
    meta.labels = nn::read_labels_file(labels_path);
    if (static_cast<int>(meta.labels.size()) != meta.num_classes)
      ::visiondb::detail::throw_io_error(labels_path, "has " + std::to_string(meta.labels.size()) +
                                                        " labels, the classifier has " +
                                                        std::to_string(meta.num_classes) + " outputs");
  } else {
    for (int i = 0; i < meta.num_classes; ++i) {
      char name[16];
      std::snprintf(name, sizeof name, "class_%03d", i);
      meta.labels.emplace_back(name);
    }
  }
  meta.source_file = "generated (nn/generated_weights.hpp, seed " + std::to_string(seed) + ")";
  meta.source_format = "generated";

  std::vector<nn::WeightsTensorToWrite> tensors;
  tensors.reserve(specs.size());
  for (const auto& s : specs) tensors.push_back({s.name, s.shape, generated.tensor(s.name, s.shape)});
  nn::write_weights_file(out, meta, tensors);
  return meta;
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace

std::size_t write_labels_csv(const std::string& weights, const std::string& out) {
  const nn::WeightsFile file(weights, {.verify_checksums = false});
  const auto& labels = file.metadata().labels;
  if (labels.empty()) ::visiondb::detail::throw_io_error(weights, "carries no labels (convert it with --labels FILE)");
  std::ofstream csv(out, std::ios::binary);
  if (!csv) ::visiondb::detail::throw_io_error(out, "cannot create the file");
  csv << "class_index,label\n";
  for (size_t i = 0; i < labels.size(); ++i) csv << i << ',' << csv_field(labels[i]) << '\n';
  csv.close();
  if (!csv) ::visiondb::detail::throw_io_error(out, "cannot write the file");
  return labels.size();
}

}  // namespace visiondb::demo
