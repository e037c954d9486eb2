/** Pictures of the topology: a pure model (buildTopology) and two renderers (Mermaid, SVG / HTML). */
export {
  buildTopology,
  type EdgeState,
  type Topology,
  type TopologyAccount,
  type TopologyEdge,
  type TopologyInput,
  type TopologyNode,
} from './topology';
export { edgeLabel, renderMermaid } from './mermaid';
export { renderHtml, renderSvg, xml } from './svg';
