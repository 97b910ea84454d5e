import { createCronJobController } from '../cronjob/cronjob-controller.ts';
import { createDaemonSetController } from '../daemonset/daemonset-controller.ts';
import { createDeploymentController } from '../deployment/deployment-controller.ts';
import { createEndpointsController } from '../endpoints/endpoints-controller.ts';
import { createJobController } from '../job/job-controller.ts';
import { createReplicaSetController } from '../replicaset/replicaset-controller.ts';
import { createScheduler } from '../scheduler/scheduler.ts';
import { createStatefulSetController } from '../statefulset/statefulset-controller.ts';
import { createVolumeBinder } from '../volume/volume-binder.ts';
import type { Controller, ControllerContext, WatchedResource } from './controller.ts';
import { ReconcileLoop } from './reconcile-loop.ts';
import { ResourceWatch } from './resource-watch.ts';

export const CONTROLLER_FACTORIES: ((context: ControllerContext) => Controller)[] = [
  createScheduler,
  createReplicaSetController,
  createDeploymentController,
  createStatefulSetController,
  createDaemonSetController,
  createJobController,
  createCronJobController,
  createVolumeBinder,
  createEndpointsController,
];

export interface RunningControllers {
  stop(): Promise<void>;
}

// Starts every controller, with one watch per collection shared by the controllers that read it.
export async function startControllers(context: ControllerContext): Promise<RunningControllers> {
  const loops = CONTROLLER_FACTORIES.map((factory) => {
    const controller = factory(context);
    return { controller, loop: new ReconcileLoop(controller, context.log) };
  });
  const listeners = new Map<WatchedResource, ReconcileLoop[]>();
  for (const { controller, loop } of loops) {
    for (const resource of controller.watches) listeners.set(resource, [...(listeners.get(resource) ?? []), loop]);
  }
  const watches = [...listeners].map(
    ([resource, interested]) =>
      new ResourceWatch(
        context.client.watch,
        resource,
        () => {
          for (const loop of interested) loop.trigger();
        },
        context.log,
      ),
  );
  await Promise.all(watches.map((watch) => watch.start()));
  for (const { loop } of loops) loop.start();
  return {
    async stop() {
      for (const watch of watches) watch.stop();
      await Promise.all(loops.map(({ loop }) => loop.stop()));
    },
  };
}
