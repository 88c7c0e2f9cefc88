import {
  AlertOutlined,
  AuditOutlined,
  BellOutlined,
  ControlOutlined,
  ProfileOutlined,
  SafetyOutlined,
  SendOutlined,
  ApiOutlined,
  ApartmentOutlined,
  BankOutlined,
  BlockOutlined,
  BorderOuterOutlined,
  CloudUploadOutlined,
  ClusterOutlined,
  ContainerOutlined,
  DeploymentUnitOutlined,
  ExperimentOutlined,
  FieldTimeOutlined,
  FileTextOutlined,
  GlobalOutlined,
  KeyOutlined,
  MedicineBoxOutlined,
  NodeIndexOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  ShopOutlined,
  SwapOutlined,
  TagsOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { MenuPage } from './menu.ts';

/**
 * Every page of the app, in menu order: its route, its menu entry and the API route it needs.
 * A later capability adds its page here, in one place; the menu and the router both read this.
 */
export type PageDef = MenuPage & { icon?: ReactNode; element: LazyExoticComponent<ComponentType> };

const registryPage = (entity: string) =>
  lazy(async () => {
    const m = await import('../pages/registry/RegistryPage.tsx');
    const Page = () => <m.RegistryPage entity={entity} />;
    return { default: Page };
  });

const REGISTRY: [entity: string, labelKey: string, icon: ReactNode][] = [
  ['ports', 'nav.ports', <ClusterOutlined key="i" />],
  ['port-areas', 'nav.portAreas', <BorderOuterOutlined key="i" />],
  ['terminals', 'nav.terminals', <ApartmentOutlined key="i" />],
  ['berths', 'nav.berths', <NodeIndexOutlined key="i" />],
  ['supervision-sites', 'nav.supervisionSites', <SafetyCertificateOutlined key="i" />],
  ['customs-offices', 'nav.customsOffices', <BankOutlined key="i" />],
  ['regulatory-codes', 'nav.regulatoryCodes', <TagsOutlined key="i" />],
  ['code-aliases', 'nav.codeAliases', <SwapOutlined key="i" />],
  ['inland-ports', 'nav.inlandPorts', <DeploymentUnitOutlined key="i" />],
  ['bonded-zones', 'nav.bondedZones', <ShopOutlined key="i" />],
  ['corridors', 'nav.corridors', <ApiOutlined key="i" />],
  ['laboratories', 'nav.laboratories', <ExperimentOutlined key="i" />],
  ['carriers', 'nav.carriers', <TeamOutlined key="i" />],
  ['vessels', 'nav.vessels', <ContainerOutlined key="i" />],
  ['enterprises', 'nav.enterprises', <TeamOutlined key="i" />],
  ['affected-areas', 'nav.affectedAreas', <AlertOutlined key="i" />],
];

export const PAGES: PageDef[] = [
  { path: '/', labelKey: 'nav.overview', icon: <GlobalOutlined />, element: lazy(() => import('../pages/OverviewPage.tsx')) },
  {
    path: '/ports/:id',
    labelKey: 'nav.ports',
    menu: false,
    requires: 'GET /api/v1/ports/:id',
    element: lazy(() => import('../pages/PortDetailPage.tsx')),
  },
  {
    path: '/port-calls',
    labelKey: 'nav.portCalls',
    icon: <FieldTimeOutlined />,
    requires: 'GET /api/v1/port-calls',
    element: lazy(() => import('../pages/port-calls/ArrivalsBoardPage.tsx')),
  },
  {
    path: '/port-calls/:id',
    labelKey: 'nav.portCalls',
    menu: false,
    requires: 'GET /api/v1/port-calls/:id',
    element: lazy(() => import('../pages/port-calls/PortCallDetailPage.tsx')),
  },
  {
    path: '/quarantine',
    labelKey: 'nav.quarantine',
    icon: <MedicineBoxOutlined />,
    requires: 'GET /api/v1/quarantine-cases',
    element: lazy(() => import('../pages/quarantine/QuarantineQueuePage.tsx')),
  },
  {
    path: '/quarantine/:id',
    labelKey: 'nav.quarantine',
    menu: false,
    requires: 'GET /api/v1/quarantine-cases/:id',
    element: lazy(() => import('../pages/quarantine/QuarantineCasePage.tsx')),
  },
  {
    path: '/berth-plan',
    labelKey: 'nav.berthPlan',
    icon: <ScheduleOutlined />,
    requires: 'GET /api/v1/berth-plans',
    element: lazy(() => import('../pages/berth-plan/BerthPlanPage.tsx')),
  },
  {
    path: '/manifests',
    labelKey: 'cargo.nav.manifests',
    icon: <FileTextOutlined />,
    requires: 'GET /api/v1/manifests',
    element: lazy(() => import('../pages/cargo/ManifestsPage.tsx')),
  },
  {
    // The late-filings tab of the list: every cargo reader may call the list, so the menu cannot keep it to customs.
    path: '/manifests/late',
    labelKey: 'cargo.nav.manifests',
    menu: false,
    requires: 'GET /api/v1/manifests',
    element: lazy(() => import('../pages/cargo/ManifestsPage.tsx')),
  },
  {
    path: '/manifests/:id',
    labelKey: 'cargo.nav.manifests',
    menu: false,
    requires: 'GET /api/v1/manifests/:id',
    element: lazy(() => import('../pages/cargo/ManifestDetailPage.tsx')),
  },
  {
    path: '/containers',
    labelKey: 'cargo.nav.containers',
    icon: <BlockOutlined />,
    requires: 'GET /api/v1/containers',
    element: lazy(() => import('../pages/cargo/ContainersPage.tsx')),
  },
  {
    path: '/containers/:id',
    labelKey: 'cargo.nav.containers',
    menu: false,
    requires: 'GET /api/v1/containers/:id',
    element: lazy(() => import('../pages/cargo/ContainerDetailPage.tsx')),
  },
  {
    path: '/workbench',
    labelKey: 'declarations.nav.workbench',
    icon: <AuditOutlined />,
    requires: 'GET /api/v1/declarations/queues',
    element: lazy(() => import('../pages/declarations/WorkbenchPage.tsx')),
  },
  {
    path: '/declarations',
    labelKey: 'declarations.nav.declarations',
    icon: <ProfileOutlined />,
    requires: 'GET /api/v1/declarations',
    element: lazy(() => import('../pages/declarations/DeclarationsPage.tsx')),
  },
  {
    path: '/declarations/:id',
    labelKey: 'declarations.nav.declarations',
    menu: false,
    requires: 'GET /api/v1/declarations/:id',
    element: lazy(() => import('../pages/declarations/DeclarationDetailPage.tsx')),
  },
  {
    path: '/risk-rules',
    labelKey: 'risk.nav.rules',
    icon: <ControlOutlined />,
    requires: 'GET /api/v1/risk/rule-sets',
    element: lazy(() => import('../pages/risk/RiskRulesPage.tsx')),
  },
  {
    path: '/customs-instructions',
    labelKey: 'terminal.nav.instructions',
    icon: <SendOutlined />,
    requires: 'GET /api/v1/customs-instructions',
    element: lazy(() => import('../pages/terminal/InstructionsPage.tsx')),
  },
  {
    path: '/gate-check',
    labelKey: 'terminal.nav.gateCheck',
    icon: <SafetyOutlined />,
    requires: 'POST /api/v1/gate-checks',
    element: lazy(() => import('../pages/terminal/GateCheckPage.tsx')),
  },
  {
    path: '/alerts',
    labelKey: 'alerts.nav.alerts',
    icon: <BellOutlined />,
    requires: 'GET /api/v1/alerts',
    element: lazy(() => import('../pages/alerts/AlertCentrePage.tsx')),
  },
  ...REGISTRY.map(([entity, labelKey, icon]) => ({
    path: `/registry/${entity}`,
    labelKey,
    icon,
    group: 'registry',
    requires: `GET /api/v1/${entity}`,
    element: registryPage(entity),
  })),
  {
    path: '/api-keys',
    labelKey: 'nav.apiKeys',
    icon: <KeyOutlined />,
    group: 'integration',
    requires: 'GET /api/v1/api-keys',
    element: lazy(() => import('../pages/ApiKeysPage.tsx')),
  },
  {
    path: '/edifact',
    labelKey: 'cargo.nav.edifact',
    icon: <CloudUploadOutlined />,
    group: 'integration',
    requires: 'GET /api/v1/edifact/interchanges',
    element: lazy(() => import('../pages/cargo/EdifactPage.tsx')),
  },
];
