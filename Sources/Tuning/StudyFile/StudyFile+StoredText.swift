import Training

extension StudyFile {
    /// The text of a study file as it is kept with its study: `yaml` with the password taken out
    /// of its `storage` URL. Workers that join read the file from the study, and find the password
    /// where libpq looks for it (`PGPASSWORD`, `~/.pgpass`).
    static func storedText(of yaml: String, file: String, storage: String?) throws -> String {
        guard let storage else { return yaml }
        let safe = try StorageURL.withoutPassword(storage)
        guard safe != storage else { return yaml }
        let text = yaml.replacingOccurrences(of: storage, with: safe)
        guard try StudyFile(yaml: text, file: file).storage == safe else {
            throw TuningError.studyFile(DescriptionError(
                file: file, line: nil, column: nil, key: "storage",
                detail: "the password in the URL cannot be taken out of the file to store it with the study; "
                    + "leave it out of the URL and put it in PGPASSWORD or ~/.pgpass"))
        }
        return text
    }
}
