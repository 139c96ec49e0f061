// Forward declarations of the public types, for headers that only pass them around.
#pragma once

namespace visiondb {
class Error;
class SqlError;
class IoError;
class ShapeError;
class InvalidArgument;
class Database;
class QueryResult;
class PreparedStatement;
}  // namespace visiondb
