// visiondb-demo-data: the inputs of the image flows when the user has none of their own, generated
// deterministically (same bytes on every run and machine):
//
//   visiondb-demo-data images DIR [--per-class N] [--classes a,b,...]
//       a yoga-like image folder: DIR/<pose>/<pose>_NNN.jpg|png, a stick figure in each class's pose
//       over a room-like background, 256..480 px wide, JPEG (quality 90) and PNG (RGB and RGBA);
//   visiondb-demo-data weights OUT.vdbw [--arch resnet50|inception_v3] [--seed N] [--labels FILE]
//       a converted weights file holding the generated weights of nn/generated_weights.hpp (the
//       ones tools/make_nn_fixtures.py gives PyTorch), with FILE's labels (one per line, e.g.
//       imagenet_classes.txt) or, without FILE, the names "class_000" ... "class_999";
//   visiondb-demo-data labels WEIGHTS.vdbw OUT.csv
//       the labels a weights file carries, as a CSV table (class_index, label), 0-based.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "demo_data.hpp"
#include "visiondb/common/error.hpp"

namespace {

constexpr const char* kUsage =
    "usage: visiondb-demo-data images DIR [--per-class N] [--classes a,b,...]\n"
    "       visiondb-demo-data weights OUT.vdbw [--arch resnet50|inception_v3] [--seed N] [--labels FILE]\n"
    "       visiondb-demo-data labels WEIGHTS.vdbw OUT.csv\n"
    "\n"
    "images:  a deterministic yoga-like folder DIR/<pose>/<pose>_NNN.{jpg,png} (default poses\n"
    "         downdog,goddess,plank,tree,warrior2; 4 per pose)\n"
    "weights: the generated weights (nn/generated_weights.hpp, seed 1 by default) as a .vdbw, with\n"
    "         the labels of FILE (one per line) or class_000 ... class_999\n"
    "labels:  the labels of a .vdbw as CSV: class_index,label (0-based)\n";

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> positional;
    int per_class = 4;
    std::vector<std::string> classes = visiondb::demo::kBlogPoses;
    std::string arch = "resnet50", labels;
    uint64_t seed = 1;
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw visiondb::InvalidArgument(a + " needs a value");
        return argv[++i];
      };
      if (a == "-h" || a == "--help") {
        std::fputs(kUsage, stdout);
        return 0;
      } else if (a == "--per-class") {
        per_class = std::atoi(value().c_str());
        if (per_class <= 0 || per_class > 100000) throw visiondb::InvalidArgument("--per-class expects 1..100000");
      } else if (a == "--classes") {
        classes = split_commas(value());
        if (classes.empty()) throw visiondb::InvalidArgument("--classes expects a comma-separated list of names");
      } else if (a == "--arch") {
        arch = value();
      } else if (a == "--seed") {
        seed = std::strtoull(value().c_str(), nullptr, 10);
      } else if (a == "--labels") {
        labels = value();
      } else if (!a.empty() && a[0] == '-') {
        throw visiondb::InvalidArgument("unknown option " + a);
      } else {
        positional.push_back(a);
      }
    }
    if (positional.size() == 2 && positional[0] == "images") {
      const auto files = visiondb::demo::write_yoga_images(positional[1], per_class, classes);
      std::printf("wrote %zu images in %zu pose folders under %s\n", files.size(), classes.size(), positional[1].c_str());
      return 0;
    }
    if (positional.size() == 2 && positional[0] == "weights") {
      const auto meta = visiondb::demo::write_generated_weights(positional[1], arch, seed, labels);
      std::printf("wrote %s: generated %s weights (seed %llu), %d labels (%s)\n", positional[1].c_str(),
                  meta.architecture.c_str(), static_cast<unsigned long long>(seed), meta.num_classes,
                  labels.empty() ? "class_NNN" : labels.c_str());
      return 0;
    }
    if (positional.size() == 3 && positional[0] == "labels") {
      const auto n = visiondb::demo::write_labels_csv(positional[1], positional[2]);
      std::printf("wrote %s: %zu labels of %s\n", positional[2].c_str(), n, positional[1].c_str());
      return 0;
    }
    std::fputs(kUsage, stderr);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "visiondb-demo-data: %s\n", e.what());
    return 1;
  }
}
