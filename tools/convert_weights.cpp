// visiondb-convert: converts a torchvision .pth checkpoint or a .safetensors file (torchvision or
// timm naming) into visiondb's converted weights (.vdbw), and shows what a .vdbw file holds.
//
//   visiondb-convert --arch resnet50|inception_v3 [--labels FILE] [--resize N] [--mean R,G,B]
//                    [--std R,G,B] [--transform-input 0|1] INPUT(.pth|.safetensors) OUTPUT.vdbw
//   visiondb-convert --info FILE.vdbw
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "visiondb/nn/weights_convert.hpp"
#include "visiondb/nn/weights_file.hpp"

namespace {

constexpr const char* kUsage =
    "usage: visiondb-convert --arch resnet50|inception_v3 [--labels FILE] [--resize N]\n"
    "                        [--mean R,G,B] [--std R,G,B] [--transform-input 0|1]\n"
    "                        INPUT(.pth|.safetensors) OUTPUT.vdbw\n"
    "       visiondb-convert --info FILE.vdbw\n"
    "\n"
    "Converts torchvision's checkpoints (torch.save zip format) or .safetensors files (torchvision or\n"
    "timm names) into visiondb's memory-mappable weights file. Nothing in a .pth is executed: a pickle\n"
    "holding anything but tensors and plain containers is refused. --labels takes one label per line\n"
    "(e.g. imagenet_classes.txt). --resize/--mean/--std/--transform-input override the preprocessing\n"
    "presets of the architecture (torchvision's: 256/224 or 342/299, ImageNet mean/std).\n";

std::array<float, 3> parse_triple(const char* flag, const std::string& text) {
  std::array<float, 3> out{};
  const char* p = text.c_str();
  for (int i = 0; i < 3; ++i) {
    char* end = nullptr;
    out[i] = std::strtof(p, &end);
    if (end == p || (i < 2 && *end != ',') || (i == 2 && *end != '\0')) {
      throw visiondb::InvalidArgument(std::string(flag) + " expects three comma-separated numbers, got \"" + text + "\"");
    }
    p = end + 1;
  }
  return out;
}

std::string human_bytes(uint64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(b) / 1e6);
  return buf;
}

int show_info(const std::string& path) {
  const auto t0 = std::chrono::steady_clock::now();
  const visiondb::nn::WeightsFile f(path);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const auto& m = f.metadata();
  std::printf("%s: %s, input 3x%dx%d, resize %d, mean [%g, %g, %g], std [%g, %g, %g]%s\n", path.c_str(),
              m.architecture.c_str(), m.input_height, m.input_width, m.resize_size, m.mean[0], m.mean[1], m.mean[2],
              m.std[0], m.std[1], m.std[2], m.transform_input ? ", transform_input" : "");
  std::printf("  %d classes%s; source %s (%s, sha256 %s); converter %s\n", m.num_classes,
              m.labels.empty() ? ", no labels" : " with labels", m.source_file.c_str(), m.source_format.c_str(),
              m.source_sha256.c_str(), m.converter_version.c_str());
  uint64_t values = 0;
  for (const auto& t : f.tensor_infos()) values += t.bytes / 4;
  std::printf("  %zu tensors, %llu values, %s; opened and verified in %.1f ms\n", f.tensor_infos().size(),
              static_cast<unsigned long long>(values), human_bytes(f.file_size()).c_str(), ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  visiondb::nn::ConvertOptions options;
  std::vector<std::string> positional;
  std::string info;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw visiondb::InvalidArgument(a + " needs a value");
        return argv[++i];
      };
      if (a == "-h" || a == "--help") {
        std::fputs(kUsage, stdout);
        return 0;
      } else if (a == "--arch") {
        options.architecture = value();
      } else if (a == "--labels") {
        options.labels_path = value();
      } else if (a == "--resize") {
        options.resize_size = std::atoi(value().c_str());
        if (*options.resize_size <= 0) throw visiondb::InvalidArgument("--resize expects a positive integer");
      } else if (a == "--mean") {
        options.mean = parse_triple("--mean", value());
      } else if (a == "--std") {
        options.std = parse_triple("--std", value());
      } else if (a == "--transform-input") {
        const std::string v = value();
        if (v != "0" && v != "1") throw visiondb::InvalidArgument("--transform-input expects 0 or 1");
        options.transform_input = v == "1";
      } else if (a == "--info") {
        info = value();
      } else if (!a.empty() && a[0] == '-') {
        throw visiondb::InvalidArgument("unknown option " + a);
      } else {
        positional.push_back(a);
      }
    }
    if (!info.empty()) return show_info(info);
    if (options.architecture.empty() || positional.size() != 2) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = visiondb::nn::convert_weights(positional[0], positional[1], options);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& m = r.metadata;
    std::printf("wrote %s: %s, %zu tensors, %llu values, %s, in %.2f s\n", positional[1].c_str(),
                m.architecture.c_str(), r.tensors_written, static_cast<unsigned long long>(r.values_written),
                human_bytes(r.output_bytes).c_str(), s);
    std::printf("  input 3x%dx%d, resize %d, mean [%g, %g, %g], std [%g, %g, %g]%s\n", m.input_height, m.input_width,
                m.resize_size, m.mean[0], m.mean[1], m.mean[2], m.std[0], m.std[1], m.std[2],
                m.transform_input ? ", transform_input" : "");
    std::printf("  %d classes%s\n", m.num_classes,
                m.labels.empty() ? " (no labels: pass --labels FILE to name them)"
                                 : (" with labels from " + options.labels_path).c_str());
    std::printf("  source %s (%s), sha256 %s\n", m.source_file.c_str(), m.source_format.c_str(),
                m.source_sha256.c_str());
    for (const auto& c : r.converted) std::printf("  converted %s to fp32\n", c.c_str());
    if (!r.dropped.empty()) {
      std::printf("  dropped %zu tensor(s) unused at inference (e.g. %s)\n", r.dropped.size(), r.dropped[0].c_str());
    }
    return 0;
  } catch (const visiondb::Error& e) {
    std::fprintf(stderr, "visiondb-convert: %s\n", e.what());
    return 1;
  }
}
