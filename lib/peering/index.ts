// VPC peering: one connection, a mesh, and the other account's side. The custom resources,
// their handler and the mesh's placement logic stay internal.
export { VpcPeering } from './vpc-peering';
export type { IVpcPeering, VpcPeeringAttributes, VpcPeeringProps } from './vpc-peering';
export { RemoteVpc } from './remote-vpc';
export type { IRemoteVpc, RemoteVpcAttributes } from './remote-vpc';
export { PeeringAccepterRole } from './peering-accepter-role';
export type { PeeringAccepterRoleProps } from './peering-accepter-role';
export { MeshRoutesPlacement, PeeringMesh } from './peering-mesh';
export type { MeshConnection, PeeringMeshProps } from './peering-mesh';
