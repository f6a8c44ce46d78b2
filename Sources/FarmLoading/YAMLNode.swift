import Yams

/// Yams' node, named apart from the farm's `Node`.
typealias YAMLNode = Yams.Node
