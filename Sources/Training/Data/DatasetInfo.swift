/// Where a bundled data set comes from, who made it, and under which licence it is used.
public struct DatasetInfo: Sendable, Equatable, Codable {
    /// Short name, e.g. `digits`.
    public let name: String
    /// Full title.
    public let title: String
    /// What the samples and targets are, in a sentence or two.
    public let summary: String
    /// The people who made the data.
    public let creators: [String]
    /// The year it was published.
    public let year: Int
    /// Where it can be obtained.
    public let source: String
    /// The licence it is used under.
    public let licence: String
    /// How to cite it.
    public let citation: String
    /// Number of samples.
    public let sampleCount: Int
    /// Number of features per sample.
    public let featureCount: Int
    /// The bundled file.
    public let fileName: String
}

extension DatasetInfo {
    /// The UCI optical handwritten digits (test part), as scikit-learn ships it.
    public static let digits = DatasetInfo(
        name: "digits",
        title: "Optical Recognition of Handwritten Digits (UCI), 8×8",
        summary: "1,797 images of the digits 0-9, 8×8 pixels with values 0-16: counts of the on pixels in 4×4 blocks of 32×32 scanned bitmaps. Ten classes.",
        creators: ["E. Alpaydin", "C. Kaynak"],
        year: 1998,
        source: "https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits",
        licence: "CC BY 4.0",
        citation: "E. Alpaydin, C. Kaynak, \"Optical Recognition of Handwritten Digits\", UCI Machine Learning Repository, 1998.",
        sampleCount: 1797, featureCount: 64, fileName: "digits.csv")

    /// The Wisconsin breast cancer diagnostic set.
    public static let breastCancer = DatasetInfo(
        name: "breast_cancer",
        title: "Breast Cancer Wisconsin (Diagnostic) (UCI)",
        summary: "569 tumours described by 30 features of cell nuclei in a fine-needle aspirate image (mean, standard error and worst value of ten properties). Two classes: benign = 0 (357), malignant = 1 (212).",
        creators: ["W. H. Wolberg", "W. N. Street", "O. L. Mangasarian"],
        year: 1995,
        source: "https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic",
        licence: "CC BY 4.0",
        citation: "W. H. Wolberg, W. N. Street, O. L. Mangasarian, \"Breast Cancer Wisconsin (Diagnostic)\", UCI Machine Learning Repository, 1995.",
        sampleCount: 569, featureCount: 30, fileName: "breast_cancer.csv")

    /// The diabetes progression regression set of the least angle regression paper.
    public static let diabetes = DatasetInfo(
        name: "diabetes",
        title: "Diabetes disease progression (Efron et al.)",
        summary: "442 patients: age, sex, body mass index, blood pressure and six blood serum measurements (unscaled); the target is a measure of disease progression one year later (25-346).",
        creators: ["B. Efron", "T. Hastie", "I. Johnstone", "R. Tibshirani"],
        year: 2004,
        source: "https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html",
        licence: "no explicit licence; freely distributed with the paper for research and teaching",
        citation: "B. Efron, T. Hastie, I. Johnstone, R. Tibshirani, \"Least Angle Regression\", Annals of Statistics 32(2), 407-499, 2004.",
        sampleCount: 442, featureCount: 10, fileName: "diabetes.csv")
}
