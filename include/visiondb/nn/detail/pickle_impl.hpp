// Out-of-line parts of pickle.hpp.
#pragma once

#include <cstdio>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "visiondb/common/error.hpp"
#include "visiondb/nn/detail/pickle.hpp"

namespace visiondb::nn::detail {

namespace pickle {

// The only globals a torch.save'd state_dict needs. Nothing here is ever called: the machine
// builds the equivalent plain value itself.
inline bool is_storage_type(std::string_view g) {
  static constexpr std::string_view kStorages[] = {
      "torch.FloatStorage", "torch.HalfStorage",  "torch.BFloat16Storage", "torch.DoubleStorage",
      "torch.LongStorage",  "torch.IntStorage",   "torch.ShortStorage",    "torch.CharStorage",
      "torch.ByteStorage",  "torch.BoolStorage"};
  for (auto s : kStorages)
    if (g == s) return true;
  return false;
}

inline bool is_allowed_global(std::string_view g) {
  return g == "collections.OrderedDict" || g == "torch._utils._rebuild_tensor_v2" ||
         g == "torch._utils._rebuild_parameter" || is_storage_type(g);
}

// A state_dict of ResNet-50 or Inception-v3 builds about 10^4 values; these caps keep a hostile
// pickle (millions of one-byte opcodes) from using gigabytes.
inline constexpr size_t kMaxPickleValues = size_t{1} << 21;
inline constexpr size_t kMaxPickleStack = size_t{1} << 20;

}  // namespace pickle

VISIONDB_INLINE PyRef run_restricted_pickle(std::span<const uint8_t> bytes, const std::string& path) {
  using K = PyValue::Kind;
  const uint8_t* p = bytes.data();
  const size_t n = bytes.size();
  size_t pos = 0;
  size_t op_at = 0;
  std::vector<PyRef> stack;
  std::vector<size_t> marks;
  std::unordered_map<uint64_t, PyRef> memo;
  size_t values_made = 0;

  auto fail = [&](const std::string& why) -> void {
    visiondb::detail::throw_io_error(path, "pickle at byte " + std::to_string(op_at) + ": " + why);
  };
  auto make = [&](PyValue::Kind k) {
    if (++values_made > pickle::kMaxPickleValues) fail("too many values for a state_dict");
    auto v = std::make_shared<PyValue>();
    v->kind = k;
    return v;
  };
  auto refuse = [&](const std::string& what) -> void {
    visiondb::detail::throw_io_error(
        path, "refused: the pickle uses " + what + " (at byte " + std::to_string(op_at) +
                  "); only tensors and plain containers are accepted, and nothing in the file is executed");
  };
  auto need = [&](size_t k) {
    if (k > n - pos) fail("unexpected end of data (truncated?)");
  };
  auto u8 = [&]() {
    need(1);
    return p[pos++];
  };
  auto le = [&](size_t k) {
    need(k);
    uint64_t v = 0;
    for (size_t i = 0; i < k; ++i) v |= uint64_t{p[pos + i]} << (8 * i);
    pos += k;
    return v;
  };
  auto text = [&](size_t k) {
    need(k);
    std::string s(reinterpret_cast<const char*>(p + pos), k);
    pos += k;
    return s;
  };
  auto line = [&]() {
    const void* nl = std::memchr(p + pos, '\n', n - pos);
    if (!nl) fail("unterminated GLOBAL operand");
    const size_t len = static_cast<size_t>(static_cast<const uint8_t*>(nl) - (p + pos));
    std::string s(reinterpret_cast<const char*>(p + pos), len);
    pos += len + 1;
    return s;
  };
  auto pop = [&]() {
    if (stack.empty() || (!marks.empty() && stack.size() <= marks.back())) fail("stack underflow");
    PyRef v = std::move(stack.back());
    stack.pop_back();
    return v;
  };
  auto top = [&]() -> PyRef& {
    if (stack.empty()) fail("stack underflow");
    return stack.back();
  };
  auto pop_mark = [&]() {
    if (marks.empty()) fail("no MARK");
    const size_t m = marks.back();
    marks.pop_back();
    std::vector<PyRef> items(std::make_move_iterator(stack.begin() + static_cast<std::ptrdiff_t>(m)),
                             std::make_move_iterator(stack.end()));
    stack.resize(m);
    return items;
  };
  auto push_int = [&](int64_t v) {
    auto x = make(K::Int);
    x->i = v;
    stack.push_back(x);
  };
  auto push_str = [&](K kind, std::string s) {
    auto x = make(kind);
    x->s = std::move(s);
    stack.push_back(x);
  };
  auto push_global = [&](std::string module, std::string name) {
    const std::string g = module + "." + name;
    if (!pickle::is_allowed_global(g)) refuse("the global \"" + g + "\"");
    push_str(K::Global, g);
  };
  auto as_int = [&](const PyRef& v, const char* what) {
    if (v->kind != K::Int && v->kind != K::Bool) fail(std::string(what) + " must be an integer");
    return v->i;
  };
  auto int_tuple = [&](const PyRef& v, const char* what) {
    if (v->kind != K::Tuple && v->kind != K::List) fail(std::string(what) + " must be a tuple of integers");
    std::vector<int64_t> out;
    for (const auto& e : v->items) out.push_back(as_int(e, what));
    return out;
  };
  auto set_items = [&](PyRef& dict, std::vector<PyRef>& kv) {
    if (dict->kind != K::Dict) fail("SETITEM(S) on a non-dict");
    if (kv.size() % 2) fail("odd number of items for SETITEMS");
    for (size_t i = 0; i < kv.size(); i += 2) {
      // Later keys replace earlier ones, as in Python.
      bool replaced = false;
      if (kv[i]->kind == K::String) {
        for (size_t j = 0; j < dict->items.size(); j += 2)
          if (dict->items[j]->kind == K::String && dict->items[j]->s == kv[i]->s) {
            dict->items[j + 1] = kv[i + 1];
            replaced = true;
            break;
          }
      }
      if (!replaced) {
        dict->items.push_back(kv[i]);
        dict->items.push_back(kv[i + 1]);
      }
    }
  };

  while (true) {
    op_at = pos;
    const uint8_t op = u8();
    switch (op) {
      case 0x80: u8(); break;        // PROTO
      case 0x95: le(8); break;       // FRAME
      case '.': {                    // STOP
        if (stack.size() != 1 || !marks.empty()) fail("STOP with " + std::to_string(stack.size()) + " values on the stack");
        return stack.back();
      }
      case '(': marks.push_back(stack.size()); break;  // MARK
      case '0': pop(); break;                            // POP
      case '1': pop_mark(); break;                       // POP_MARK
      case '2': stack.push_back(top()); break;           // DUP
      case 'N': stack.push_back(make(K::None)); break;
      case 0x88:
      case 0x89: {  // NEWTRUE / NEWFALSE
        auto b = make(K::Bool);
        b->i = op == 0x88;
        stack.push_back(b);
        break;
      }
      case 'J': push_int(static_cast<int32_t>(le(4))); break;  // BININT
      case 'K': push_int(static_cast<int64_t>(le(1))); break;  // BININT1
      case 'M': push_int(static_cast<int64_t>(le(2))); break;  // BININT2
      case 0x8a: {                                             // LONG1
        const size_t k = u8();
        if (k > 8) fail("integer wider than 64 bits");
        uint64_t v = le(k);
        if (k > 0 && k < 8 && (v >> (8 * k - 1)) & 1) v |= ~uint64_t{0} << (8 * k);  // sign-extend
        push_int(static_cast<int64_t>(v));
        break;
      }
      case 'G': {  // BINFLOAT: big-endian double
        need(8);
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[pos + i];
        pos += 8;
        auto x = make(K::Float);
        std::memcpy(&x->f, &bits, 8);
        stack.push_back(x);
        break;
      }
      case 'X': push_str(K::String, text(static_cast<size_t>(le(4)))); break;     // BINUNICODE
      case 0x8c: push_str(K::String, text(u8())); break;                           // SHORT_BINUNICODE
      case 0x8d: push_str(K::String, text(static_cast<size_t>(le(8)))); break;    // BINUNICODE8
      case 'T': push_str(K::String, text(static_cast<size_t>(le(4)))); break;     // BINSTRING
      case 'U': push_str(K::String, text(u8())); break;                            // SHORT_BINSTRING
      case 'B': push_str(K::Bytes, text(static_cast<size_t>(le(4)))); break;      // BINBYTES
      case 'C': push_str(K::Bytes, text(u8())); break;                             // SHORT_BINBYTES
      case 0x8e: push_str(K::Bytes, text(static_cast<size_t>(le(8)))); break;     // BINBYTES8
      case ')': stack.push_back(make(K::Tuple)); break;                    // EMPTY_TUPLE
      case 't': {                                                                  // TUPLE
        auto t = make(K::Tuple);
        t->items = pop_mark();
        stack.push_back(t);
        break;
      }
      case 0x85:
      case 0x86:
      case 0x87: {  // TUPLE1..3
        auto t = make(K::Tuple);
        t->items.resize(op - 0x84);
        for (size_t i = t->items.size(); i-- > 0;) t->items[i] = pop();
        stack.push_back(t);
        break;
      }
      case ']': stack.push_back(make(K::List)); break;  // EMPTY_LIST
      case 'l': {                                               // LIST
        auto l = make(K::List);
        l->items = pop_mark();
        stack.push_back(l);
        break;
      }
      case 'a': {  // APPEND
        PyRef v = pop();
        if (top()->kind != K::List) fail("APPEND to a non-list");
        top()->items.push_back(v);
        break;
      }
      case 'e': {  // APPENDS
        auto items = pop_mark();
        if (top()->kind != K::List) fail("APPENDS to a non-list");
        for (auto& v : items) top()->items.push_back(v);
        break;
      }
      case '}': stack.push_back(make(K::Dict)); break;  // EMPTY_DICT
      case 'd': {                                               // DICT
        auto d = make(K::Dict);
        auto kv = pop_mark();
        set_items(d, kv);
        stack.push_back(d);
        break;
      }
      case 's': {  // SETITEM
        PyRef v = pop();
        PyRef k = pop();
        std::vector<PyRef> kv{k, v};
        set_items(top(), kv);
        break;
      }
      case 'u': {  // SETITEMS
        auto kv = pop_mark();
        set_items(top(), kv);
        break;
      }
      case 'q': memo[le(1)] = top(); break;                  // BINPUT
      case 'r': memo[le(4)] = top(); break;                  // LONG_BINPUT
      case 0x94: memo[memo.size()] = top(); break;            // MEMOIZE
      case 'h':
      case 'j': {  // BINGET / LONG_BINGET
        const uint64_t k = op == 'h' ? le(1) : le(4);
        auto it = memo.find(k);
        if (it == memo.end()) fail("memo key " + std::to_string(k) + " not found");
        stack.push_back(it->second);
        break;
      }
      case 'c': {  // GLOBAL "module\nname\n"
        std::string module = line();
        std::string name = line();
        push_global(std::move(module), std::move(name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        PyRef name = pop();
        PyRef module = pop();
        if (module->kind != K::String || name->kind != K::String) fail("STACK_GLOBAL operands must be strings");
        push_global(module->s, name->s);
        break;
      }
      case 'Q': {  // BINPERSID: ('storage', <storage type>, key, location, numel)
        PyRef pid = pop();
        if (pid->kind != K::Tuple || pid->items.size() < 5 || pid->items[0]->kind != K::String ||
            pid->items[0]->s != "storage" || pid->items[1]->kind != K::Global ||
            !pickle::is_storage_type(pid->items[1]->s) || pid->items[2]->kind != K::String) {
          refuse("a persistent id that is not a torch storage reference");
        }
        auto st = make(K::Storage);
        st->dtype = pid->items[1]->s.substr(6);  // after "torch."
        st->s = pid->items[2]->s;
        st->i = as_int(pid->items[4], "storage size");
        stack.push_back(st);
        break;
      }
      case 'R': {  // REDUCE: callable(*args), only for the whitelisted callables
        PyRef args = pop();
        PyRef fn = pop();
        if (fn->kind != K::Global) refuse("REDUCE on a value that is not a whitelisted global");
        if (args->kind != K::Tuple) fail("REDUCE arguments must be a tuple");
        const auto& a = args->items;
        if (fn->s == "collections.OrderedDict") {
          if (!a.empty()) refuse("OrderedDict built from arguments");
          stack.push_back(make(K::Dict));
        } else if (fn->s == "torch._utils._rebuild_tensor_v2") {
          if (a.size() < 6 || a.size() > 7 || a[0]->kind != K::Storage) {
            fail("_rebuild_tensor_v2 expects (storage, offset, size, stride, requires_grad, hooks[, metadata])");
          }
          auto t = make(K::Tensor);
          t->items.push_back(a[0]);
          t->i = as_int(a[1], "storage offset");
          t->shape = int_tuple(a[2], "tensor size");
          t->stride = int_tuple(a[3], "tensor stride");
          if (t->shape.size() != t->stride.size()) fail("tensor size and stride differ in length");
          stack.push_back(t);
        } else if (fn->s == "torch._utils._rebuild_parameter") {
          if (a.size() != 3 || a[0]->kind != K::Tensor) fail("_rebuild_parameter expects (tensor, requires_grad, hooks)");
          stack.push_back(a[0]);
        } else {
          refuse("a call of \"" + fn->s + "\"");
        }
        break;
      }
      case 'b': {  // BUILD: only an OrderedDict's attribute dict (state_dict's _metadata), ignored
        PyRef state = pop();
        if (top()->kind != K::Dict || (state->kind != K::Dict && state->kind != K::None && state->kind != K::Tuple)) {
          refuse("BUILD on something other than an OrderedDict");
        }
        break;
      }
      case 0x81:
      case 0x92:
        refuse(op == 0x81 ? "NEWOBJ (object construction)" : "NEWOBJ_EX (object construction)");
        break;
      case 'i':
      case 'o':
        refuse("INST/OBJ (object construction)");
        break;
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        fail(std::string("unsupported pickle opcode ") + hex);
      }
    }
    if (stack.size() > pickle::kMaxPickleStack || memo.size() > pickle::kMaxPickleStack) fail("pickle stack or memo too large");
  }
}

}  // namespace visiondb::nn::detail
