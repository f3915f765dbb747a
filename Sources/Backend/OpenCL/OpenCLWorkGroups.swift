extension OpenCLDevice {
    /// The work-group of a launch over `grid` (up to three dimensions, the first contiguous in
    /// memory) with one cheap item per value. GPUs take 64 items: as much of a row as fits,
    /// rounded up to a power of two, then rows. CPU devices (PoCL) pay a fixed cost per
    /// work-group and run its items one after another, so they take up to 1024 items: whole rows,
    /// then whole planes, without rounding a dimension up past its size.
    func valueGroup(_ grid: [Int]) -> [Int] {
        let width = grid.first ?? 1
        let height = grid.count > 1 ? grid[1] : 1
        var group: [Int]
        if info.isGPU {
            var columns = 1
            while columns < min(width, 64) { columns *= 2 }
            group = [columns, 64 / columns, 1]
        } else {
            let limit = min(1024, info.maxWorkGroupSize)
            let columns = min(width, limit)
            let rows = max(1, min(height, limit / columns))
            group = [columns, rows, max(1, limit / (columns * rows))]
        }
        return Array(group.prefix(grid.count))
    }
}
