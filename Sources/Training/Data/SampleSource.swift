/// Makes the features of samples when a batch needs them, for data sets whose features are not
/// all held in memory (image files, decoded on the loader's prefetch thread).
public protocol SampleSource: Sendable {
    /// Number of samples.
    var count: Int { get }
    /// Writes sample `index`'s features (`featuresPerSample` values of the data set) into
    /// `destination`; errors name the file that could not be read.
    func writeFeatures(of index: Int, into destination: UnsafeMutableBufferPointer<Float>) throws
    /// The samples at `indices` (in `0..<count`), in that order.
    func subset(_ indices: [Int]) -> any SampleSource
}
