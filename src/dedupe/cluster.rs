//! Clustering with a guard against chaining.
//!
//! Match pairs are joined strongest first (Kruskal order over match weights) with a
//! union-find. Two clusters are not joined when any pair between them was compared and
//! scored below the review threshold (a cannot-link), or when the joined cluster would
//! exceed `max_size`. Plain connected components would let one weak bridge merge two
//! families; this keeps every cluster consistent with the evidence that was compared.

use rustc_hash::FxHashSet;

pub struct Clusters {
    /// Cluster members (feature indices, ascending), clusters of two or more only,
    /// ordered by their smallest member.
    pub members: Vec<Vec<u32>>,
    /// Match pairs refused by the guard.
    pub refused: usize,
}

struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
    /// Cannot-link neighbours of each root's members.
    negative: Vec<Vec<u32>>,
}

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }
}

/// `edges` are `(a, b)` match pairs sorted strongest first; `cannot` are pairs scored
/// below review.
pub fn cluster(n: usize, edges: &[(u32, u32)], cannot: &[(u32, u32)], max_size: usize) -> Clusters {
    let mut uf = UnionFind {
        parent: (0..n as u32).collect(),
        size: vec![1; n],
        negative: vec![Vec::new(); n],
    };
    for &(a, b) in cannot {
        uf.negative[a as usize].push(b);
        uf.negative[b as usize].push(a);
    }
    let mut refused = 0;
    for &(a, b) in edges {
        let (ra, rb) = (uf.find(a), uf.find(b));
        if ra == rb {
            continue;
        }
        if (uf.size[ra as usize] + uf.size[rb as usize]) as usize > max_size {
            refused += 1;
            continue;
        }
        // Check the cannot-links of the smaller side against the other root.
        let (small, large) = if uf.negative[ra as usize].len() <= uf.negative[rb as usize].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let neighbours = std::mem::take(&mut uf.negative[small as usize]);
        let conflict = neighbours.iter().any(|&x| uf.find(x) == large);
        if conflict {
            uf.negative[small as usize] = neighbours;
            refused += 1;
            continue;
        }
        uf.parent[small as usize] = large;
        uf.size[large as usize] += uf.size[small as usize];
        uf.negative[large as usize].extend(neighbours);
    }
    let mut by_root: rustc_hash::FxHashMap<u32, Vec<u32>> = rustc_hash::FxHashMap::default();
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    for &(a, b) in edges {
        for x in [a, b] {
            if seen.insert(x) {
                let root = uf.find(x);
                by_root.entry(root).or_default().push(x);
            }
        }
    }
    let mut members: Vec<Vec<u32>> = by_root.into_values().filter(|m| m.len() > 1).collect();
    for m in &mut members {
        m.sort_unstable();
    }
    members.sort_unstable_by_key(|m| m[0]);
    Clusters { members, refused }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cannot_link_stops_a_chain() {
        // 0-1 and 1-2 match, but 0 and 2 were compared and clearly differ.
        let c = cluster(4, &[(0, 1), (1, 2)], &[(0, 2)], 100);
        assert_eq!(c.members, vec![vec![0, 1]]);
        assert_eq!(c.refused, 1);
        let c = cluster(4, &[(0, 1), (1, 2), (2, 3)], &[], 100);
        assert_eq!(c.members, vec![vec![0, 1, 2, 3]]);
        let c = cluster(4, &[(0, 1), (1, 2), (2, 3)], &[], 2);
        assert_eq!(c.members, vec![vec![0, 1], vec![2, 3]]);
    }
}
