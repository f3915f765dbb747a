import Foundation

/// JSON text for the structured columns of the database storages (parameters, user attributes,
/// the search space). Keys are sorted so equal values give equal text.
enum StorageCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw TuningError.storage("cannot encode \(T.self): \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw TuningError.storage("cannot decode \(T.self) from \(text.prefix(200)): \(error)")
        }
    }
}
