// The message a statement fails with, for tests that check error texts and carets.
#pragma once

#include <string>

#include "visiondb/api/database.hpp"

namespace visiondb::test {

/// What `sql` fails with (the error's what(): message, line and caret), or "(no error)".
inline std::string error_of(Database& db, const std::string& sql) {
  try {
    db.query(sql);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace visiondb::test
