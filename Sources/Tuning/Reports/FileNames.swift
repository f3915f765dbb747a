/// File names made from study names, which may hold any characters.
public enum FileNames {
    /// `name` made safe as (part of) one file name in the current folder: path separators and
    /// control characters become `_`, so a study named `../../x` cannot write two folders up.
    public static func safe(_ name: String) -> String {
        String(name.map { $0 == "/" || $0 == "\\" || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "_" : $0 })
    }
}
